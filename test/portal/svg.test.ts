import { describe, expect, it } from 'vitest';
import { lineChart } from '../../lib/portal/svg-chart';
import { quantileClasses, svgMap } from '../../lib/portal/svg-map';

const render = async (h: unknown) => String(await h);

describe('lineChart', () => {
  it('draws one line per series with markers, a target line, and an accessible name', async () => {
    const svg = await render(
      lineChart(
        [
          {
            name: 'A & B',
            points: [
              { x: 2020, y: 0.3 },
              { x: 2021, y: 0.35 },
              { x: 2022, y: 0.4 },
            ],
          },
          {
            name: 'C',
            points: [
              { x: 2020, y: 0.2 },
              { x: 2022, y: 0.25 },
            ],
          },
        ],
        {
          title: 'Share <by> year',
          yLabel: 'share',
          format: (v) => `${Math.round(v * 100)}%`,
          targets: [{ label: 'target 45%', y: 0.45 }],
        },
      ),
    );
    expect(svg).toMatch(/<svg[^>]+role="img"[^>]+aria-labelledby="(c-?\d+)-t \1-d"/);
    expect(svg).toContain('<title id=');
    expect(svg).toContain('Share &lt;by&gt; year'); // escaped
    expect(svg).toContain('A &amp; B');
    expect(svg.match(/stroke-width="2"/g)).toHaveLength(2);
    expect(svg.match(/<circle /g)!.length + svg.match(/<rect /g)!.length).toBeGreaterThanOrEqual(5);
    expect(svg).toContain('target 45%');
    expect(svg).toContain('stroke-dasharray');
    // Everything is inside the view box.
    for (const m of svg.matchAll(/c[xy]="(-?[\d.]+)"/g)) expect(Number(m[1])).toBeGreaterThanOrEqual(0);
  });

  it('says so when there is nothing to draw', async () => {
    expect(await render(lineChart([], { title: 't', yLabel: 'y', format: String }))).toContain('No data');
  });
});

describe('svgMap', () => {
  it('projects points and segments into the frame, coloured by class, with a legend', async () => {
    const features = [
      {
        label: 'seg 1',
        value: 1.1,
        coords: [
          [-88.1, 41.2],
          [-88.09, 41.21],
        ] as [number, number][],
      },
      {
        label: 'seg 2',
        value: 1.9,
        coords: [
          [-88.0, 41.3],
          [-87.99, 41.31],
        ] as [number, number][],
      },
      { label: 'stop <3>', value: null, coords: [[-88.05, 41.25]] as [number, number][] },
    ];
    const classes = quantileClasses([1.1, 1.9], (v) => v.toFixed(2));
    expect(classes.map((c) => c.max)).toEqual([1.1, 1.1, 1.9, 1.9]);
    const svg = await render(svgMap(features, { title: 'LOTTR', valueLabel: 'LOTTR', classes }));
    expect(svg.match(/<line /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg).toContain('stop &lt;3&gt;: LOTTR no value');
    expect(svg).toMatch(/aria-label="LOTTR: 3 features coloured by LOTTR/);
    const vb = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
    for (const m of svg.matchAll(/ (?:x1|x2|cx)="(-?[\d.]+)"/g))
      expect(Number(m[1])).toBeLessThanOrEqual(Number(vb[1]));
    for (const m of svg.matchAll(/ (?:y1|y2|cy)="(-?[\d.]+)"/g))
      expect(Number(m[1])).toBeLessThanOrEqual(Number(vb[2]));
    // North is up: the northern segment is drawn above the southern one.
    const ys = [...svg.matchAll(/<line x1="[\d.]+" y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys[1]!).toBeLessThan(ys[0]!);
    expect(svg).toContain('#1a9850');
    expect(svg).toContain('#d73027');
  });

  it('says so when there is nothing to map', async () => {
    expect(await render(svgMap([], { title: 't', valueLabel: 'v', classes: [] }))).toContain('No locations');
  });
});
