import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsStorage } from '../../lib/storage/fs-storage';
import { PRESIGNED_PUT_PATH, PutRefused } from '../../lib/storage/presigned-put';
import { storageContract } from './storage-contract';

storageContract('fs', async () => {
  const root = await mkdtemp(join(tmpdir(), 'corridor-fs-storage-'));
  // The folder's presigned URLs point at an HTTP route (the local server's, lib/api): a bare
  // node:http server stands in for it here, so the contract exercises a real PUT over the wire.
  let storage: FsStorage | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'PUT' || url.pathname !== PRESIGNED_PUT_PATH || !storage) {
      res.writeHead(404).end();
      return;
    }
    storage
      .receivePresignedPut(url.searchParams, {
        contentType: req.headers['content-type'],
        contentLength: req.headers['content-length'],
        body: req,
      })
      .then(
        ({ etag }) => res.writeHead(200, { etag }).end(),
        (e: unknown) => res.writeHead(e instanceof PutRefused ? e.status : 500).end(String(e)),
      );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  storage = new FsStorage(root, { uploadUrl: `http://127.0.0.1:${port}${PRESIGNED_PUT_PATH}` });
  return {
    storage,
    cleanup: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(root, { recursive: true, force: true });
    },
  };
});
