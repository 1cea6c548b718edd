/**
 * A static asset of the visualizer (its script, its CSS) compressed once, when first asked
 * for, in gzip and brotli, and sent in the best encoding the browser accepts: the script is a
 * few hundred KB, and coordinators open pages on phones. The compressing runs on libuv's
 * threads, not the event loop. An ETag per content and encoding lets a browser revalidate
 * (304) instead of downloading it again.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export interface StaticAsset {
  type: string;
  hash: string;
  bodies: { identity: Buffer; gzip: Buffer; br: Buffer };
}

export async function staticAsset(type: string, text: string): Promise<StaticAsset> {
  const identity = Buffer.from(text, 'utf8');
  const [br, gz] = await Promise.all([
    brotli(identity, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
    gzipped(identity, { level: 9 }),
  ]);
  const hash = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
  return { type, hash, bodies: { identity, gzip: gz, br } };
}

/** Sends the asset in the encoding the request accepts best (brotli, then gzip), or as it is. */
export function sendAsset(req: Request, res: Response, asset: StaticAsset): void {
  // Asked one by one: with both at the same weight, negotiation would follow the header's order
  // (browsers list gzip first), and brotli is the smaller.
  const encoding = req.acceptsEncodings('br')
    ? 'br'
    : req.acceptsEncodings('gzip')
      ? 'gzip'
      : 'identity';
  res.setHeader('Vary', 'Accept-Encoding');
  // Revalidated on every page load (one small request answered 304), never stale after a deploy.
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('ETag', `"${asset.hash}-${encoding}"`);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.type(asset.type).send(asset.bodies[encoding]);
}
