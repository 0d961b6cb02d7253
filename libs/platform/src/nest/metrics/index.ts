export * from './metrics.service';
export * from './route-template';
export * from './scrape-gauges';
