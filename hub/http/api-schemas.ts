// JSON schemas shared by the access API's routes (OpenAPI components by value): the error body every
// refusal answers with, and small helpers to declare a route's responses. Response schemas are also what
// fastify serialises with, so a field a schema does not declare is never sent by accident.
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
  },
  additionalProperties: true,
} as const;

/** The refusals a signed-in user's route can answer with, besides its own. */
export const USER_ERRORS = {
  400: ERROR_SCHEMA,
  401: ERROR_SCHEMA,
  403: ERROR_SCHEMA,
  404: ERROR_SCHEMA,
  429: ERROR_SCHEMA,
  500: ERROR_SCHEMA,
  503: ERROR_SCHEMA,
} as const;

export const ID_PARAMS = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,15}$' } },
  additionalProperties: false,
} as const;

/** A JSON object with open members (audit payloads, site touches). */
export const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;

export const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
