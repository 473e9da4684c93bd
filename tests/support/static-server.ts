/**
 * A minimal static file server for the built site, on loopback, the way a static host serves it:
 * under the base path, directories to index.html, unknown paths to 404.html with status 404,
 * and optional response headers (for the Content-Security-Policy tests).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createGzip } from 'node:zlib';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticServer {
  /** The site's root URL, with the base path, e.g. http://127.0.0.1:4000/sub/ */
  url: string;
  close(): Promise<void>;
}

export interface StaticServerOptions {
  outDir: string;
  base: string;
  headers?: Record<string, string>;
  /** gzip text responses, as static hosts do; the benchmark measures compressed bytes. */
  compress?: boolean;
}

function resolveFile(outDir: string, base: string, pathname: string): string | undefined {
  if (!pathname.startsWith(base)) return undefined;
  const relative = normalize(decodeURIComponent(pathname.slice(base.length))).replace(
    /^(\.\.[/\\])+/,
    '',
  );
  const candidate = join(outDir, relative);
  if (!candidate.startsWith(outDir)) return undefined;
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  const index = join(candidate, 'index.html');
  return existsSync(index) ? index : undefined;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const { outDir, base, headers = {}, compress = false } = options;
  const server: Server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === base.replace(/\/$/, '')) {
      response.writeHead(301, { location: base }).end();
      return;
    }
    const file = resolveFile(outDir, base, pathname);
    const status = file ? 200 : 404;
    const served = file ?? join(outDir, '404.html');
    const type = contentTypes[extname(served)] ?? 'application/octet-stream';
    const gzip =
      compress &&
      /text|json|svg|xml|javascript/.test(type) &&
      /gzip/.test(String(request.headers['accept-encoding']));
    response.writeHead(status, {
      'content-type': type,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...headers,
    });
    const stream = createReadStream(served);
    (gzip ? stream.pipe(createGzip()) : stream).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
