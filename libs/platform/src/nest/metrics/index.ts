export * from './metrics.service';
export * from './request-metrics';
export * from './route-template';
export * from './scrape-gauges';
