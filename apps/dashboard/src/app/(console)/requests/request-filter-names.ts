/** The explorer's URL parameters, in the order the filter form lists them (also the admin API's query names). */
export const REQUEST_FILTER_NAMES = [
  'from',
  'to',
  'requestId',
  'keyId',
  'teamId',
  'requestedModel',
  'servedModel',
  'providerId',
  'errorClass',
  'status',
  'trafficClass',
  'surface',
] as const;

/** The filters as the page's URL carries them: times as ISO instants, the rest verbatim. */
export type RequestFilterValues = Partial<Record<(typeof REQUEST_FILTER_NAMES)[number], string>>;
