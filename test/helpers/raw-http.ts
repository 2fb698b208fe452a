/** A request with the path exactly as given (fetch would normalise it), for malformed-request tests. */
import { request } from 'node:http';

export function rawStatus(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Paths whose percent-encoding does not decode: a lone '%', overlong UTF-8 dots, a cut-short sequence. */
export const UNDECODABLE_PATHS = ['/%', '/%c0%ae%c0%ae/registry.db', '/%E0%A4%A', '/a%zz'];
