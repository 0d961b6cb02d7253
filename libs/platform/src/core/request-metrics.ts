import type { Registry } from 'prom-client';

/** Request duration buckets (seconds): 5 ms … 10 s. */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface RequestMetricsOptions {
  /** The counter, e.g. `http_requests_total`. */
  counter: string;
  /** The histogram, e.g. `http_request_duration_seconds`. */
  histogram: string;
  /** The three label names, the last one numeric (`status`). */
  labels: readonly [string, string, string];
  buckets?: readonly number[];
}

interface Series {
  labels: Record<string, string | number>;
  count: number;
  sum: number;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  buckets: Float64Array;
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/**
 * A request counter and duration histogram with three labels. prom-client's own Counter/Histogram
 * hash a label object on every observation; here a request finds its series through nested maps
 * and bumps plain numbers (no allocation once the label combination was seen), and the Prometheus
 * samples are only built when scraped.
 */
export class RequestMetrics {
  private readonly series = new Map<string, Map<string, Map<number, Series>>>();
  private readonly all: Series[] = [];
  private readonly bounds: readonly number[];

  constructor(
    registry: Registry,
    private readonly options: RequestMetricsOptions,
  ) {
    this.bounds = options.buckets ?? DURATION_BUCKETS;
    registry.registerMetric(
      this.metric(options.counter, 'counter', 'Responses sent', () => this.counterValues()) as never,
    );
    registry.registerMetric(
      this.metric(options.histogram, 'histogram', 'Time to answer a request, in seconds', () =>
        this.histogramValues(),
      ) as never,
    );
  }

  observe(first: string, second: string, status: number, seconds: number): void {
    let bySecond = this.series.get(first);
    if (bySecond === undefined) this.series.set(first, (bySecond = new Map()));
    let byStatus = bySecond.get(second);
    if (byStatus === undefined) bySecond.set(second, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) byStatus.set(status, (series = this.newSeries(first, second, status)));
    series.count++;
    series.sum += seconds;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]) i++;
    series.buckets[i]++;
  }

  private newSeries(first: string, second: string, status: number): Series {
    const [a, b, c] = this.options.labels;
    const series: Series = {
      labels: { [a]: first, [b]: second, [c]: status },
      count: 0,
      sum: 0,
      buckets: new Float64Array(this.bounds.length + 1),
    };
    this.all.push(series);
    return series;
  }

  private counterValues(): MetricValue[] {
    return this.all.map((s) => ({ value: s.count, labels: s.labels }));
  }

  private histogramValues(): MetricValue[] {
    const name = this.options.histogram;
    const values: MetricValue[] = [];
    for (const s of this.all) {
      let cumulative = 0;
      for (let i = 0; i <= this.bounds.length; i++) {
        cumulative += s.buckets[i];
        const le = i < this.bounds.length ? this.bounds[i] : '+Inf';
        values.push({ value: cumulative, labels: { ...s.labels, le }, metricName: `${name}_bucket` });
      }
      values.push({ value: s.sum, labels: s.labels, metricName: `${name}_sum` });
      values.push({ value: s.count, labels: s.labels, metricName: `${name}_count` });
    }
    return values;
  }

  /** The shape prom-client's Registry reads from a metric. */
  private metric(name: string, type: string, help: string, values: () => MetricValue[]) {
    return {
      name,
      help,
      type,
      get: () => ({ name, help, type, values: values(), aggregator: 'sum' }),
      reset: () => undefined,
    };
  }
}
