/**
 * How the workstation talks HTTP to the data platform, besides the platform key it pins (that key signs what is said;
 * this module is about who the workstation is talking to and whether anyone else can listen):
 *
 * - Plain http:// is refused to anything but this machine (127.0.0.0/8, ::1, localhost). Snapshots are encrypted and
 *   signed, but the bearer token and case events are not, and a province's network is not a loopback interface. The
 *   tests and the demo platform run on loopback, so http stays allowed there.
 * - An HTTPS platform may be pinned by a CA certificate (PEM: the bureau's own CA, which the system store does not
 *   know) and/or by the SHA-256 fingerprint of its leaf certificate (as `openssl x509 -fingerprint -sha256` prints it).
 *   With a CA, the chain and host name are checked against that CA only. With a fingerprint alone, the fingerprint *is*
 *   the trust (a self-signed certificate the operator made is fine): the exact certificate is pinned, so no CA or host
 *   name check adds anything. With both, both must hold.
 *
 * The pin is checked on the TLS handshake, before a single byte of the request (token, body) is written.
 * Node's fetch (undici) offers no hook for that without the undici package, which is not a dependency of the app, so a
 * pinned request goes through node:https on a socket this module connects and checks itself, and comes back as a
 * standard `Response` so callers do not care which path it took.
 */
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { because, type ErrorReason, type ReasonDetail } from '../domain/reasons.js';

/** The pins for one platform, as stored in the workspace (both optional; neither means the system's CA store). */
export interface PlatformTls {
  /** One or more PEM certificates: only chains ending in one of them are accepted. */
  ca?: string;
  /** The leaf certificate's SHA-256 fingerprint, normalised to `AB:CD:…` (upper case, colons). */
  fingerprint?: string;
}

export type PlatformTransportRefusal = 'PLAIN_HTTP' | 'TLS_PIN_MISMATCH' | 'BAD_TLS_PIN';

/** A refusal of this module; the message (Chinese) is for logs and the CLI, `reason` what the screens say in the user's language. */
export class PlatformTransportError extends Error {
  constructor(
    readonly refusal: PlatformTransportRefusal,
    message: string,
    readonly reason: ReasonDetail,
  ) {
    super(message);
    this.name = 'PlatformTransportError';
  }
}

/** Whether a URL's host name is this machine: 127.0.0.0/8, ::1 or localhost (nothing else leaves it unencrypted). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase(); // URL keeps IPv6 literals in brackets
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^::ffff:7f[0-9a-f]{2}:/.test(host);
  return false;
}

/** Refuses a platform URL that would send the token in the clear over a network; returns the parsed URL otherwise. */
export function assertPlatformUrlAllowed(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PlatformTransportError('PLAIN_HTTP', `数据中台地址无效：${url}`, because('platformUrlInvalid', { url }));
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
  if (parsed.protocol === 'http:') {
    throw new PlatformTransportError(
      'PLAIN_HTTP',
      `拒绝以明文 HTTP 连接非本机地址 ${parsed.host}（${url}）：访问令牌和案件记录会在网络上被窃听。请使用 https:// 地址；明文 HTTP 只允许连接本机（127.0.0.1、::1、localhost）。`,
      because('plainHttp', { host: parsed.host, url }),
    );
  }
  throw new PlatformTransportError('PLAIN_HTTP', `数据中台地址只支持 https://（本机可用 http://）：${url}`, because('httpsOnly', { url }));
}

/**
 * A SHA-256 fingerprint as typed or pasted: `openssl` prints `sha256 Fingerprint=AB:CD:…`, people drop the colons or
 * write lower case. Returns the `AB:CD:…` form Node reports (`fingerprint256`), or throws if it is not 32 bytes of hex.
 */
export function normaliseFingerprint(input: string): string {
  const hex = input
    .trim()
    .replace(/^sha256\s*fingerprint\s*=\s*/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new PlatformTransportError('BAD_TLS_PIN', '证书指纹格式不对：应为 64 位十六进制 SHA-256 指纹（可带冒号），如 openssl x509 -noout -fingerprint -sha256 所示。', because('tlsFingerprintFormat'));
  }
  return hex.match(/../g)!.join(':');
}

/** Checks and normalises what the user entered; empty fields mean "not pinned". Returns undefined when nothing is pinned. */
export function parsePlatformTls(input: { ca?: string | undefined; fingerprint?: string | undefined }): PlatformTls | undefined {
  const tls: PlatformTls = {};
  const ca = input.ca?.trim();
  if (ca) {
    const blocks = ca.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!blocks) throw new PlatformTransportError('BAD_TLS_PIN', 'CA 证书格式不对：应为 PEM 格式（以 -----BEGIN CERTIFICATE----- 开头）。', because('caFormat'));
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        throw new PlatformTransportError('BAD_TLS_PIN', 'CA 证书无法解析：请粘贴完整的 PEM 证书。', because('caUnreadable'));
      }
    }
    tls.ca = blocks.join('\n') + '\n';
  }
  if (input.fingerprint?.trim()) tls.fingerprint = normaliseFingerprint(input.fingerprint);
  return tls.ca || tls.fingerprint ? tls : undefined;
}

export interface PlatformRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One request to the platform. The URL is checked first (no plain HTTP over a network); an HTTPS request with pins is
 * made on a socket whose certificate was checked against them; anything else is the ordinary fetch.
 */
export async function platformFetch(url: string, init: PlatformRequest = {}, tls?: PlatformTls): Promise<Response> {
  const parsed = assertPlatformUrlAllowed(url);
  if (parsed.protocol !== 'https:' || !tls) return fetch(url, init);
  const socket = await pinnedSocket(parsed, tls);
  return new Promise<Response>((resolve, reject) => {
    const req = httpsRequest(parsed, {
      method: init.method ?? 'GET',
      headers: { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}), Connection: 'close' },
      // The socket was connected and checked above; https must not open another one.
      createConnection: () => socket,
    });
    req.on('error', (error) => {
      socket.destroy();
      reject(error);
    });
    req.on('response', (res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const status = res.statusCode ?? 502;
      // A Response may not carry a body for these statuses (the Fetch standard's "null body status").
      const body = [101, 204, 205, 304].includes(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
      if (!body) res.resume();
      resolve(new Response(body, { status, headers }));
    });
    req.end(init.body);
  });
}

/** Connects TLS to the platform and resolves only once the peer's certificate satisfies the pins. */
function pinnedSocket(url: URL, tls: PlatformTls): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host,
      port: Number(url.port || 443),
      // SNI needs a host name, not an address.
      ...(isIP(host) ? {} : { servername: host }),
      ALPNProtocols: ['http/1.1'],
      // With a pinned CA: that CA only. Node still verifies the chain and the host name and reports the result in
      // `authorized`; it does not end the handshake itself, so that the refusal below can name the certificate seen.
      ...(tls.ca ? { ca: tls.ca } : {}),
      rejectUnauthorized: false,
    });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.removeListener('error', reject);
      const seen = socket.getPeerCertificate().fingerprint256;
      if (tls.ca && !socket.authorized) {
        socket.destroy();
        reject(
          new PlatformTransportError(
            'TLS_PIN_MISMATCH',
            `数据中台证书不是固定的 CA 签发的（或不含此地址），已断开连接，未做任何更改。地址：${url.origin}；原因：${String(socket.authorizationError)}；实际证书指纹：${seen || '（未出示证书）'}。`,
            because('tlsNotPinnedCa', { url: url.origin, why: String(socket.authorizationError), seen: seen || because('noCertificate') }),
          ),
        );
        return;
      }
      if (tls.fingerprint && seen !== tls.fingerprint) {
        socket.destroy();
        reject(
          new PlatformTransportError(
            'TLS_PIN_MISMATCH',
            `数据中台证书指纹不符，已断开连接，未做任何更改。地址：${url.origin}；应为：${tls.fingerprint}；实际：${seen || '（未出示证书）'}。若数据中台刚更换了证书，请向管理员核实新指纹后再更新设置。`,
            because('tlsFingerprintMismatch', { url: url.origin, expected: tls.fingerprint, seen: seen || because('noCertificate') }),
          ),
        );
        return;
      }
      resolve(socket);
    });
  });
}

/**
 * The Chinese explanation of a failed request, and whether it was about trust (plain HTTP, pins, a certificate that
 * did not verify) rather than the network: the first is a refusal to act on, the second a retry later.
 */
/** The usual reasons a platform cannot be reached, in the users' words (the screens' are reasons.unreachable.*). */
const UNREACHABLE: Record<string, [string, ErrorReason]> = {
  ECONNREFUSED: ['对方拒绝连接（地址或端口有误，或数据中台未运行）', 'unreachable.ECONNREFUSED'],
  ENOTFOUND: ['找不到该主机名', 'unreachable.ENOTFOUND'],
  EAI_AGAIN: ['暂时无法解析该主机名', 'unreachable.EAI_AGAIN'],
  ETIMEDOUT: ['连接超时', 'unreachable.ETIMEDOUT'],
  UND_ERR_CONNECT_TIMEOUT: ['连接超时', 'unreachable.ETIMEDOUT'],
  ECONNRESET: ['连接被对方中断', 'unreachable.ECONNRESET'],
  EHOSTUNREACH: ['网络不可达', 'unreachable.EHOSTUNREACH'],
  ENETUNREACH: ['网络不可达', 'unreachable.EHOSTUNREACH'],
};
const BAD_PORT: [string, ErrorReason] = ['该端口不允许用于网络连接（如 9、25 等保留端口）', 'unreachable.badPort'];

export function describeTransportError(url: string, error: unknown): { trust: boolean; message: string; reason: ReasonDetail } {
  if (error instanceof PlatformTransportError) return { trust: true, message: error.message, reason: error.reason };
  const e = error as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return {
      trust: true,
      message: `数据中台 ${url} 的证书未通过校验（${code}），已断开连接，未做任何更改：请确认已填入正确的 CA 证书或证书指纹。`,
      reason: because('tlsUnverified', { url, code }),
    };
  }
  const why = UNREACHABLE[code] ?? (/^bad port$/i.test(e.cause?.message ?? e.message ?? '') ? BAD_PORT : undefined);
  const detail = e.cause?.message ?? e.message ?? String(error);
  return {
    trust: false,
    message: why ? `无法连接数据中台 ${url}：${why[0]}。请核对数据中台地址和网络连接后重试。` : `无法连接数据中台 ${url}（${detail}）：请核对数据中台地址和网络连接后重试。`,
    reason: why ? because('platformUnreachable', { url, why: because(why[1]) }) : because('platformUnreachableOther', { url, detail }),
  };
}
