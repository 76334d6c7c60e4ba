/** The explorer's URL parameters, as the admin API names its query (the filter bar's fields carry the same names). */
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
