import { describe, expect, it } from 'vitest';
import { fittingLabels, lineChart } from './render';
import { cancellationsByReason } from './saga-readings';
import { lagGrows, percentileOfSorted, percentiles } from './stats';

describe('bench statistics and rendering', () => {
  it('nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentiles(values)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
    expect(percentileOfSorted([7], 0.99)).toBe(7);
    expect(percentiles([])).toMatchObject({ n: 0, p99: 0 });
  });

  it('lag that holds steady, however high, is not growing; lag that keeps climbing is', () => {
    expect(lagGrows([400, 420, 390, 410, 405, 395, 415, 400])).toBe(false);
    expect(lagGrows([0, 10, 40, 80, 160, 320, 640, 1280])).toBe(true);
    expect(lagGrows([0, 1, 2, 3, 4, 5, 6, 20])).toBe(false); // below the floor of 50 messages
    expect(lagGrows([90, 110, 100, 120, 150, 240, 260, 250], 500)).toBe(false); // doubled, but by less than the floor
    expect(lagGrows([90, 110, 100, 120, 150, 240, 900, 1250], 500)).toBe(true);
  });

  it('a chart has one path per series and a legend', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      logY: true,
      series: [
        {
          name: 'p50',
          color: '#000',
          points: [
            [10, 50],
            [20, 80],
          ],
        },
        {
          name: 'p99',
          color: '#f00',
          points: [
            [10, 90],
            [20, 2000],
          ],
        },
      ],
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain('>p99</text>');
  });

  it('rate labels that would run into each other are left out, and the highest rate keeps its label', () => {
    const ladder = [10, 25, 50, 75, 100, 150, 200, 300, 400, 600];
    const sx = (x: number) => 64 + (x / 600) * 560; // the charts' plot width
    expect(fittingLabels(ladder, sx)).toEqual([10, 50, 75, 100, 150, 200, 300, 400, 600]);
    expect(fittingLabels([10, 30, 35], (x) => x)).toEqual([10, 35]); // the last wins over the one beside it
    expect(fittingLabels([100, 200], sx)).toEqual([100, 200]);
    expect(fittingLabels([], sx)).toEqual([]);
  });

  it('cancellations are counted by reason', () => {
    const saga = (status: string, cancellationReason?: string) => ({
      orderId: 'o',
      status,
      placedAt: 0,
      ...(cancellationReason ? { cancellationReason } : {}),
    });
    const sagas = [
      saga('CONFIRMED'),
      saga('CANCELLED', 'TIMEOUT'),
      saga('CANCELLED', 'OUT_OF_STOCK'),
      saga('CANCELLED', 'TIMEOUT'),
      saga('CANCELLED'),
      saga('PLACED'),
    ];
    expect(cancellationsByReason(sagas)).toEqual({ TIMEOUT: 2, OUT_OF_STOCK: 1, UNKNOWN: 1 });
    expect(cancellationsByReason([])).toEqual({});
  });
});
