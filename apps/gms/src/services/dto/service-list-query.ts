import { ApiError } from '@cs/platform/core';
import { ExtensionSelector } from '../../events/extensions';
import { dateParam, queryText, typeFilter } from '../../events/list-params';
import { nestingFlags, type NestingFlag } from '../query-flags';

export interface ServiceListQuery {
  startedFrom?: number;
  startedTo?: number;
  serviceTypes?: string[];
  selector: ExtensionSelector;
  nesting: Record<NestingFlag, boolean>;
}

/** The query parameters of spec §4.7–4.12. */
export function parseServiceListQuery(query: Record<string, unknown>): ServiceListQuery {
  const startedFrom = dateParam(query, 'started_from');
  const startedTo = dateParam(query, 'started_to');
  if (startedFrom !== undefined && startedTo !== undefined && startedFrom > startedTo) {
    throw ApiError.invalidParameter('started_from', "must not be later than 'started_to'");
  }
  return {
    startedFrom,
    startedTo,
    serviceTypes: typeFilter(query, 'service_types'),
    selector: ExtensionSelector.parse(queryText(query, 'extensions')),
    nesting: nestingFlags(query),
  };
}
