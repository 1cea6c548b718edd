/**
 * Which proxies in front of the server are believed about the client's address (`TRUST_PROXY`),
 * for the limits counted per IP. Unset, no proxy is believed: `X-Forwarded-For` is ignored, so
 * no one can dodge a limit by writing the header. Behind a reverse proxy it must be set, or
 * every visitor shares the proxy's address and one budget.
 * - a number: that many proxies in front (`1` for one load balancer);
 * - `loopback`, `linklocal`, `uniquelocal`, or a comma-separated list of addresses and CIDRs.
 */
import express from 'express';
import { SettingsError } from '../runtime/temporal-settings';

export type TrustProxy = false | number | string;

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim();
  if (!v) return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  try {
    // Express compiles the list (proxy-addr) when it is set, and throws on a bad address.
    express().set('trust proxy', v);
  } catch (err) {
    throw new SettingsError(
      `TRUST_PROXY: expected a number of proxies, loopback, linklocal, uniquelocal or addresses/CIDRs (${(err as Error).message})`,
    );
  }
  return v;
}
