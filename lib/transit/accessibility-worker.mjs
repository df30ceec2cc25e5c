// Worker entry: the project runs TypeScript through tsx without a build step, so a worker thread
// registers the loader itself before importing the TypeScript worker module.
import { register } from 'tsx/esm/api';

register();
await import('./accessibility-worker.ts');
