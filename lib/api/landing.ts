import { html } from 'hono/html';
import { listDatasets } from '../catalog/catalog';
import { listResultFamilies } from '../catalog/results';
import type { AppDeps } from './app';

export async function landingPage({ ctx }: AppDeps) {
  const datasets = await listDatasets(ctx.storage);
  const families = await listResultFamilies(ctx.storage);
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Corridor — regional transportation data</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ccc; }
      a { color: #0b57d0; }
    </style>
  </head>
  <body>
    <main>
      <h1>Corridor</h1>
      <p>Open transportation performance data for the region: federal measures, transit service and project benefit-cost analyses, each traceable to its inputs.</p>
      <h2>Datasets</h2>
      ${
        datasets.length === 0
          ? html`<p>No datasets yet. Run <code>npx corridor demo</code> to load the demo region.</p>`
          : html`<table>
            <caption class="sr-only">Datasets in the catalog</caption>
            <thead><tr><th scope="col">Dataset</th><th scope="col">Current version</th><th scope="col">Rows</th></tr></thead>
            <tbody>
              ${datasets.map(
                (d) => html`<tr>
                  <td><a href="/api/datasets/${d.id}">${d.title}</a></td>
                  <td>${d.current_version}</td>
                  <td>${(d.versions.find((v) => v.version === d.current_version)?.rows ?? 0).toLocaleString('en-US')}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
      }
      <h2>Results</h2>
      <ul>
        ${families.map((f) => html`<li><a href="/api/results/${f}">${f}</a></li>`)}
      </ul>
    </main>
  </body>
</html>`;
}
