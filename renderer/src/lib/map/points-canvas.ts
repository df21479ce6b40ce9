/**
 * The catalog's points drawn on a canvas image, for browsers whose WebGL is a software rasteriser.
 * ol redraws the image only when the view settles and moves the last one while panning or zooming,
 * so interaction stays smooth; a redraw stamps one pre-drawn circle per colour for each point.
 */
import type { FeatureLike } from 'ol/Feature.js';
import type Point from 'ol/geom/Point.js';
import ImageLayer from 'ol/layer/Image.js';
import ImageCanvasSource from 'ol/source/ImageCanvas.js';
import type VectorSource from 'ol/source/Vector.js';
import type { ColourBy } from '../app-types.js';
import { patchColour, type PatchAttributes } from './patch-colours.js';
import { FOOTPRINT_ZOOM } from './patch-layers.js';

const RADIUS = 4;

function sprite(colour: string, pixelRatio: number): HTMLCanvasElement {
  const size = Math.ceil((RADIUS + 1) * 2 * pixelRatio);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  ctx.arc(size / 2, size / 2, RADIUS * pixelRatio, 0, 2 * Math.PI);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = 0.75 * pixelRatio;
  ctx.strokeStyle = 'rgba(30, 30, 30, 0.55)';
  ctx.stroke();
  return canvas;
}

function attributesOf(feature: FeatureLike): PatchAttributes {
  const p = feature.getProperties();
  return { label: p.label, split: p.split, annotation: p.annotation, prediction: p.prediction };
}

export function canvasPointsLayer(source: VectorSource, mode: () => ColourBy): ImageLayer<ImageCanvasSource> {
  const canvas = document.createElement('canvas');
  const image = new ImageCanvasSource({
    ratio: 1.25,
    canvasFunction(extent, resolution, pixelRatio, size) {
      canvas.width = size[0];
      canvas.height = size[1];
      const ctx = canvas.getContext('2d')!;
      const sprites = new Map<string, HTMLCanvasElement>();
      const half = Math.ceil((RADIUS + 1) * pixelRatio);
      const scale = pixelRatio / resolution;
      source.forEachFeatureInExtent(extent, (feature) => {
        const colour = patchColour(mode(), attributesOf(feature));
        let stamp = sprites.get(colour);
        if (!stamp) sprites.set(colour, (stamp = sprite(colour, pixelRatio)));
        const [x, y] = (feature.getGeometry() as Point).getCoordinates();
        ctx.drawImage(stamp, Math.round((x - extent[0]) * scale) - half, Math.round((extent[3] - y) * scale) - half);
      });
      return canvas;
    },
  });
  // Any change of a feature (a new page, a recolour) or of the colour mode redraws the image.
  source.on('change', () => image.changed());
  return new ImageLayer({ source: image, maxZoom: FOOTPRINT_ZOOM, properties: { name: 'patch-points' } });
}
