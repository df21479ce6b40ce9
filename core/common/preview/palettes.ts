/**
 * Colours for previews, the map and charts. Categorical palettes are indexed by class - 1 (classes
 * are 1-based in the data); ramps are evenly spaced stops, interpolated linearly in sRGB.
 */

export type Rgb = readonly [number, number, number];

export interface Ramp {
  name: string;
  stops: readonly Rgb[];
}

/** '#rrggbb' (or bare 'rrggbb') strings, or one string of concatenated 6-digit colours, as RGB. */
export function hexColours(hex: string | readonly string[]): Rgb[] {
  const digits = typeof hex === 'string' ? hex : hex.map((h) => h.replace(/^#/, '')).join('');
  if (!/^([0-9a-fA-F]{6})*$/.test(digits)) throw new RangeError(`not a list of 6-digit hex colours: ${digits.slice(0, 40)}`);
  const out: Rgb[] = [];
  for (let k = 0; k < digits.length; k += 6) {
    out.push([parseInt(digits.slice(k, k + 2), 16), parseInt(digits.slice(k + 2, k + 4), 16), parseInt(digits.slice(k + 4, k + 6), 16)]);
  }
  return out;
}

/** A colour as CSS '#rrggbb'. */
export function cssHex(rgb: Rgb): string {
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The 10 simplified classes: Paul Tol's "muted" scheme (SRON/EPS/TN/09-002), designed to stay
 * distinct under red-green colour blindness, assigned so the hues still read as the classes
 * (green forest, sand savanna, rose cropland as MODIS draws it, pale grey snow, indigo water).
 */
export const SIMPLIFIED_PALETTE: readonly Rgb[] = hexColours([
  '#117733', // Forest
  '#999933', // Shrubland
  '#DDCC77', // Savanna
  '#44AA99', // Grassland
  '#88CCEE', // Wetlands
  '#CC6677', // Croplands
  '#882255', // Urban/Built-up
  '#DDDDDD', // Snow/Ice
  '#AA4499', // Barren
  '#332288', // Water
]);

/**
 * The conventional IGBP colours of MODIS MCD12Q1 land cover maps (LC_Type1), which users of
 * land cover data recognise. NOT colour-blind safe: under deuteranopia or protanopia several
 * forest, shrub and savanna classes become indistinguishable. Offered as an option only; the map
 * legend uses IGBP_SAFE_PALETTE.
 */
export const IGBP_MODIS_PALETTE: readonly Rgb[] = hexColours([
  '#05450a', '#086a10', '#54a708', '#78d203', '#009900', '#c6b044', '#dcd159', '#dade48', '#fbff13',
  '#b6ff05', '#27ff87', '#c24f44', '#a5a5a5', '#ff6d4c', '#69fff8', '#f9ffa4', '#1c0dff',
]);

/**
 * A colour-blind-safer IGBP palette. Seventeen classes cannot all be told apart by hue under
 * colour blindness, so each IGBP class takes the hue of its simplified class (SIMPLIFIED_PALETTE)
 * and classes sharing one differ in CIELAB lightness (about 9 L* apart): the five forests run dark
 * to light green. Different groups stay distinct under deuteranopia and protanopia; classes of one
 * group are told apart by lightness, which colour blindness preserves.
 */
export const IGBP_SAFE_PALETTE: readonly Rgb[] = hexColours([
  '#003C00', // Evergreen Needleleaf Forests
  '#005211', // Evergreen Broadleaf Forests
  '#006926', // Deciduous Needleleaf Forests
  '#1F803B', // Deciduous Broadleaf Forests
  '#3C9851', // Mixed Forests
  '#7A7B12', // Closed Shrublands
  '#A0A03A', // Open Shrublands
  '#CFBF6B', // Woody Savannas
  '#F2E08A', // Savannas
  '#44AA99', // Grasslands
  '#88CCEE', // Permanent Wetlands
  '#A44255', // Croplands
  '#882255', // Urban and Built-up Lands
  '#CD6778', // Cropland/Natural Vegetation Mosaics
  '#DDDDDD', // Permanent Snow and Ice
  '#AA4499', // Barren
  '#332288', // Water Bodies
]);

export const IGBP_PALETTES = { safe: IGBP_SAFE_PALETTE, modis: IGBP_MODIS_PALETTE } as const;
export type IgbpPaletteName = keyof typeof IGBP_PALETTES;

// matplotlib's viridis and cividis (CC0), sampled at 256 points: perceptually uniform and
// readable with colour blindness; cividis is also near-uniform under deuteranopia.
const VIRIDIS_HEX =
  '44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769' +
  '48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a' +
  '472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85' +
  '4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b' +
  '3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d' +
  '33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e' +
  '2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e' +
  '26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d' +
  '21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88' +
  '1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81' +
  '28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74' +
  '3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863' +
  '5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d' +
  '84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32' +
  'addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a' +
  'd8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725';
const CIVIDIS_HEX =
  '00224e00234f00245100255300255400265600275800285900285b00295d002a5f002a61002b62002c64002c66002d68' +
  '002e6a002e6c002f6d00306f0030700031700031710132710533710833700c34700f357012357014367016377018376f' +
  '1a386f1c396f1e3a6f203a6f213b6e233c6e243c6e263d6e273e6e293f6e2a3f6d2b406d2d416d2e416d2f426d31436d' +
  '32436d33446d34456c35456c36466c38476c39486c3a486c3b496c3c4a6c3d4a6c3e4b6c3f4c6c404c6c414d6c424e6c' +
  '434e6c444f6c45506c46516c47516c48526c49536c4a536c4b546c4c556c4d556c4e566c4f576c50576c51586d52596d' +
  '535a6d545a6d555b6d555c6d565c6d575d6d585e6d595e6e5a5f6e5b606e5c616e5d616e5e626e5e636f5f636f60646f' +
  '61656f62656f636670646770656870656870666970676a71686a71696b716a6c716b6d726c6d726c6e726d6f726e6f73' +
  '6f70737071737172747272747273747374757474757575757676767777767777777878777979777a7a787b7a787c7b78' +
  '7d7c787e7c787e7d787f7e78807f78817f788280798381798482798582798683798784788885788985788a86788b8778' +
  '8c88788d88788e89788f8a78908b78918b78928c78928d78938e78948e77958f779690779791779892779992779a9376' +
  '9b94769c95769d95769e96769f9775a09875a19975a29975a39a74a49b74a59c74a69c74a79d73a89e73a99f73aaa073' +
  'aba072aca172ada272aea371afa471b0a571b1a570b3a670b4a76fb5a86fb6a96fb7a96eb8aa6eb9ab6dbaac6dbbad6d' +
  'bcae6cbdae6cbeaf6bbfb06bc0b16ac1b26ac2b369c3b369c4b468c5b568c6b667c7b767c8b866c9b965cbb965ccba64' +
  'cdbb63cebc63cfbd62d0be62d1bf61d2c060d3c05fd4c15fd5c25ed6c35dd7c45cd9c55cdac65bdbc75adcc859ddc858' +
  'dec958dfca57e0cb56e1cc55e2cd54e4ce53e5cf52e6d051e7d150e8d24fe9d34eead34cebd44bedd54aeed649efd748' +
  'f0d846f1d945f2da44f3db42f5dc41f6dd3ff7de3ef8df3cf9e03afbe138fce236fde334fee434fee535fee636fee838';

export const RAMPS = {
  /** Sequential: NDVI, accuracies on the map. */
  viridis: { name: 'viridis', stops: hexColours(VIRIDIS_HEX) },
  cividis: { name: 'cividis', stops: hexColours(CIVIDIS_HEX) },
  /** Diverging, red (0) to blue (1) through white: ColorBrewer RdBu 11, marked colour-blind safe there. */
  rdbu: {
    name: 'rdbu',
    stops: hexColours(['67001f', 'b2182b', 'd6604d', 'f4a582', 'fddbc7', 'f7f7f7', 'd1e5f0', '92c5de', '4393c3', '2166ac', '053061']),
  },
  /** Diverging, brown (0) to blue-green (1) through white: ColorBrewer BrBG 11, colour-blind safe; NDVI. */
  brbg: {
    name: 'brbg',
    stops: hexColours(['543005', '8c510a', 'bf812d', 'dfc27d', 'f6e8c3', 'f5f5f5', 'c7eae5', '80cdc1', '35978f', '01665e', '003c30']),
  },
} as const satisfies Record<string, Ramp>;
export type RampName = keyof typeof RAMPS;

/** How a colour bar names each ramp. */
export const RAMP_TITLES: Readonly<Record<RampName, string>> = { viridis: 'viridis', cividis: 'cividis', rdbu: 'RdBu (diverging)', brbg: 'BrBG (diverging)' };

/** The ramp's colour at t in [0, 1] (clamped), interpolated between the two nearest stops. */
export function rampColour(t: number, ramp: Ramp): [number, number, number] {
  if (Number.isNaN(t)) throw new RangeError(`ramp position is NaN (${ramp.name})`);
  const last = ramp.stops.length - 1;
  const pos = Math.min(Math.max(t, 0), 1) * last;
  const k = Math.min(Math.floor(pos), last - 1);
  const f = pos - k;
  const a = ramp.stops[k];
  const b = ramp.stops[k + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

