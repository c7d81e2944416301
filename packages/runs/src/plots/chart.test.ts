import { describe, expect, it } from 'vitest';
import { assignColours, PALETTE, renderChart, renderPanels, withAlpha, type ChartSpec } from './chart.js';
import { inspectPng } from './inspect.js';

const line = (label: string, f: (x: number) => number, extra: Partial<ChartSpec['series'][number]> = {}) => ({
  label,
  points: Array.from({ length: 30 }, (_, i) => ({ x: i + 1, y: f(i + 1) })),
  ...extra,
});

const spec: ChartSpec = {
  title: 'Workers',
  xLabel: 'step',
  yLabel: 'workers',
  series: [
    line('hpa', (x) => 10 + Math.sin(x / 3), { band: Array.from({ length: 30 }, (_, i) => ({ x: i + 1, lo: 9, hi: 12 })) }),
    line('oracle', () => 12, { kind: 'dashed', color: '#000000' }),
    {
      label: 'points',
      kind: 'scatter',
      points: [{ x: 5, y: 11 }],
      errorBars: [{ x: 5, lo: 10, hi: 12 }],
      marker: 'crossRot',
      markerSize: 12,
    },
  ],
  guides: [{ y: 9, label: 'floor' }],
};

describe('renderChart', () => {
  it('produces a PNG of the requested size with something drawn on a white background', () => {
    const info = inspectPng(renderChart({ ...spec, width: 640, height: 360 }));
    expect(info.width).toBe(640);
    expect(info.height).toBe(360);
    expect(info.distinctColours).toBeGreaterThan(20);
    expect(info.inkFraction).toBeGreaterThan(0.02);
    expect(info.inkFraction).toBeLessThan(0.9);
  });

  it('defaults to 720 x 400 and renders the same bytes twice', () => {
    const a = renderChart(spec);
    expect(inspectPng(a)).toMatchObject({ width: 720, height: 400 });
    expect(renderChart(spec).equals(a)).toBe(true);
  });

  it('treats NaN and Infinity as gaps and survives an empty chart', () => {
    const gappy = renderChart({
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          label: 'a',
          points: [
            { x: 1, y: 1 },
            { x: 2, y: Number.NaN },
            { x: 3, y: Infinity },
            { x: 4, y: 2 },
          ],
        },
      ],
    });
    expect(inspectPng(gappy).distinctColours).toBeGreaterThan(5);
    expect(inspectPng(renderChart({ xLabel: 'x', yLabel: 'y', series: [] })).width).toBe(720);
  });
});

describe('renderPanels', () => {
  it('lays panels out in a grid under the title', () => {
    const png = renderPanels({ title: 'Figure', columns: 2, panels: [spec, spec, spec] });
    expect(inspectPng(png)).toMatchObject({ width: 2 * 720, height: 44 + 2 * 400 });
  });

  it('adds rows for a shared legend and none when there is no title', () => {
    const png = renderPanels({ columns: 3, legend: 'shared', panels: [spec, { ...spec, width: 500, height: 300 }] });
    const info = inspectPng(png);
    expect(info.width).toBe(2 * 720);
    expect(info.height).toBeGreaterThan(400);
    expect(info.height).toBeLessThan(400 + 3 * 26 + 8 + 1);
  });

  it('gives a label the same colour in every panel and lets an explicit colour win', () => {
    const colours = assignColours([
      {
        xLabel: '',
        yLabel: '',
        series: [
          { label: 'a', points: [] },
          { label: 'oracle', points: [], color: '#000000' },
        ],
      },
      {
        xLabel: '',
        yLabel: '',
        series: [
          { label: 'b', points: [] },
          { label: 'a', points: [] },
          { label: 'a mean', colorKey: 'a', points: [] },
        ],
      },
    ]);
    expect(colours.get('a')).toBe(PALETTE[0]);
    expect(colours.get('oracle')).toBe('#000000');
    expect(colours.get('b')).toBe(PALETTE[2]);
    expect(colours.has('a mean')).toBe(false);
  });
});

describe('withAlpha', () => {
  it('turns #rrggbb into rgba and leaves other colours alone', () => {
    expect(withAlpha('#1f77b4', 0.5)).toBe('rgba(31, 119, 180, 0.5)');
    expect(withAlpha('black', 0.5)).toBe('black');
  });
});
