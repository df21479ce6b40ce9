import { inflateSync } from 'node:zlib';
import { getDecoder } from 'geotiff';
import { DatasetFileError } from '../../common/util/file-error.js';

const NONE = 1;
const LZW = 5;
const DEFLATE = 8;
const DEFLATE_OLD = 32946;
const PACKBITS = 32773;

/** Compressions the block decoder handles; other files go to geotiff.js as a whole. */
export const BLOCK_COMPRESSIONS: ReadonlySet<number> = new Set([NONE, LZW, DEFLATE, DEFLATE_OLD, PACKBITS]);

type BlockDecoder = (data: Uint8Array, decodedLength: number) => Promise<Uint8Array> | Uint8Array;

/** geotiff.js's LZW and PackBits decoders; they ignore the predictor when called per block. */
function geotiffDecoder(compression: number): BlockDecoder {
  const decoder = getDecoder(compression, { tileWidth: 1, tileHeight: 1, predictor: 1, bitsPerSample: 8, planarConfiguration: 1 });
  return async (data) => {
    const copy = new Uint8Array(data.length);
    copy.set(data);
    return new Uint8Array(await (await decoder).decodeBlock(copy.buffer));
  };
}

/**
 * node:zlib inflates natively, several times faster than geotiff.js's pako. One output chunk of
 * the known size saves zlib growing and joining 16 KiB chunks (~20% of the time).
 */
function inflate(data: Uint8Array, decodedLength: number): Uint8Array {
  return inflateSync(data, { chunkSize: Math.max(64, decodedLength + 64) });
}

const decoders = new Map<number, BlockDecoder>([
  [NONE, (data) => data],
  [DEFLATE, inflate],
  [DEFLATE_OLD, inflate],
]);

function decoderFor(compression: number): BlockDecoder {
  let decoder = decoders.get(compression);
  if (!decoder) {
    if (!BLOCK_COMPRESSIONS.has(compression)) throw new Error(`compression ${compression} is not a block compression`);
    decoder = geotiffDecoder(compression);
    decoders.set(compression, decoder);
  }
  return decoder;
}

/**
 * The decoded bytes of one strip or tile (`decodedLength` is what the layout says it holds).
 * Uncompressed blocks come back as a view of `data` itself (no copy); callers copy before
 * writing to it.
 */
export async function decompressBlock(compression: number, data: Uint8Array, decodedLength: number, file: string, blockName: string): Promise<Uint8Array> {
  const decode = decoderFor(compression);
  try {
    return await decode(data, decodedLength);
  } catch (err) {
    throw new DatasetFileError(file, `corrupt ${blockName}: ${(err as Error).message}`);
  }
}
