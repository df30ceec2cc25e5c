import type { Config } from '../config';
import { FsStorage } from './fs-storage';
import type { Storage } from './storage';

export { FsStorage } from './fs-storage';
export * from './storage';

/** The storage the configuration names: a folder by default, S3 when CORRIDOR_BUCKET is set. */
export async function createStorage(config: Config): Promise<Storage> {
  if (config.storage === 's3') {
    // Imported lazily so local mode never loads the AWS SDK.
    const { S3Storage } = await import('./s3-storage');
    return new S3Storage({ ...config.s3, scratchDir: config.scratchDir });
  }
  return new FsStorage(config.dataDir, { signingSecret: config.directUploads?.signingSecret });
}
