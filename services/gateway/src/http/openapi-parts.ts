/** Pieces every part of the OpenAPI document uses: an RFC 9457 problem and the usual errors. */
export const problem = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

export const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '413': problem,
  '429': problem,
  '503': problem,
};
