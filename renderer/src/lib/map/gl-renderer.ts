/**
 * Whether WebGL runs on a software rasteriser (Chromium's SwiftShader with --disable-gpu, Mesa's
 * llvmpipe, Windows' Basic Render Driver). There, drawing 180,000 WebGL points costs seconds a
 * frame, so the map draws its points on a canvas image instead (see points-canvas.ts).
 */
export function isSoftwareRenderer(rendererName: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(rendererName);
}
