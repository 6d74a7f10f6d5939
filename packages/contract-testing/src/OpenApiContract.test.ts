import {
  ApiDocument,
  ContractRequest,
  OpenApiContract,
} from './OpenApiContract';

const request = (over: Partial<ContractRequest> = {}): ContractRequest => ({
  method: 'GET',
  path: '/',
  query: {},
  headers: {},
  body: '',
  ...over,
});

describe('OpenApiContract with a Swagger 2.0 document', () => {
  const swagger = (): ApiDocument => ({
    swagger: '2.0',
    basePath: '/v1',
    consumes: ['application/json'],
    securityDefinitions: {
      key: { type: 'apiKey', in: 'header', name: 'x-token' },
    },
    security: [{ key: [] }],
    paths: {
      '/pets': {
        get: {
          parameters: [
            { $ref: '#/parameters/limit' },
            {
              name: 'tag',
              in: 'query',
              type: 'array',
              items: { type: 'string' },
            },
          ],
          responses: {
            '200': {
              schema: { type: 'array', items: { $ref: '#/definitions/Pet' } },
            },
            default: { schema: { $ref: '#/definitions/Error' } },
          },
        },
        post: {
          parameters: [
            {
              name: 'pet',
              in: 'body',
              required: true,
              schema: { $ref: '#/definitions/Pet' },
            },
          ],
          responses: { '201': { schema: { $ref: '#/definitions/Pet' } } },
        },
      },
      '/pets/{id}': {
        parameters: [
          { name: 'id', in: 'path', required: true, type: 'string' },
        ],
        get: {
          responses: { '200': { schema: { $ref: '#/definitions/Pet' } } },
        },
      },
      '/pets/mine': {
        get: {
          responses: { '200': { schema: { $ref: '#/definitions/Pet' } } },
        },
      },
    },
    parameters: {
      limit: {
        name: 'limit',
        in: 'query',
        type: 'integer',
        minimum: 1,
        maximum: 100,
      },
    },
    definitions: {
      Pet: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, age: { type: 'integer' } },
      },
      Error: {
        type: 'object',
        required: ['message'],
        properties: { message: { type: 'string' } },
      },
    },
  });

  const contract = new OpenApiContract(swagger(), { mount: '/api' });
  const auth = { 'x-token': 't' };

  it('matches request paths to templates, literal segments first', () => {
    expect(contract.operation('GET', '/api/v1/pets/mine')?.template).toBe(
      '/pets/mine',
    );
    const byId = contract.operation('get', '/api/v1/pets/a%20b');
    expect(byId).toMatchObject({
      method: 'GET',
      template: '/pets/{id}',
      pathParams: { id: 'a b' },
      where: 'GET /api/v1/pets/{id}',
    });
    expect(byId?.parameters.map(p => p.name)).toEqual(['id']);
    expect(contract.operation('DELETE', '/api/v1/pets')).toBeUndefined();
    expect(contract.operation('GET', '/v1/pets')).toBeUndefined();
  });

  it('accepts conforming requests', () => {
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/pets',
          query: { limit: ['10'], tag: ['a', 'b'] },
          headers: auth,
        }),
      ),
    ).toEqual([]);
    expect(
      contract.validateRequest(
        request({
          method: 'POST',
          path: '/api/v1/pets',
          headers: {
            ...auth,
            'content-type': 'application/json; charset=utf-8',
          },
          body: '{"name":"Rex","age":3}',
        }),
      ),
    ).toEqual([]);
  });

  it('rejects bad query parameters, missing security, bad bodies and content types', () => {
    const where = 'GET /api/v1/pets';
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/pets',
          query: { limit: ['x'], bogus: ['1'] },
        }),
      ),
    ).toEqual([
      `${where} ?limit: 'x' is not an integer`,
      `${where}: undeclared query parameter 'bogus'`,
      `${where}: security header x-token missing`,
    ]);
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/pets',
          query: { limit: ['500'] },
          headers: auth,
        }),
      ),
    ).toEqual([`${where} ?limit: '500' is out of range`]);
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/pets',
          query: { limit: ['1', '2'] },
          headers: auth,
        }),
      ),
    ).toEqual([`${where}: query parameter 'limit' repeated`]);

    const post = (headers: Record<string, string>, body: string) =>
      contract.validateRequest(
        request({
          method: 'POST',
          path: '/api/v1/pets',
          headers: { ...auth, ...headers },
          body,
        }),
      );
    expect(post({ 'content-type': 'text/plain' }, '{"name":"Rex"}')).toEqual([
      "POST /api/v1/pets: Content-Type 'text/plain' is not one of application/json",
    ]);
    expect(post({ 'content-type': 'application/json' }, 'nope')).toEqual([
      'POST /api/v1/pets: body is not JSON: nope',
    ]);
    expect(
      post({ 'content-type': 'application/json' }, '{"age":"3"}'),
    ).toHaveLength(2);
    expect(
      contract.validateRequest(
        request({ path: '/api/v1/pets/mine', headers: auth, body: '{}' }),
      ),
    ).toEqual(['GET /api/v1/pets/mine: takes no body but got one']);
    expect(contract.validateRequest(request({ path: '/api/v2/pets' }))).toEqual(
      ['no operation for GET /api/v2/pets'],
    );
  });

  it('validates answers per status, falling back to default', () => {
    const answer = (status: number, body: unknown) =>
      contract.validateResponse({
        method: 'GET',
        path: '/api/v1/pets',
        status,
        body,
      });
    expect(answer(200, [{ name: 'Rex' }])).toEqual([]);
    expect(answer(200, [{ age: 1 }])).toEqual([
      `GET /api/v1/pets 200 answer: /0 must have required property 'name' {"missingProperty":"name"}`,
    ]);
    expect(answer(500, { message: 'boom' })).toEqual([]);
    expect(answer(500, { error: 'boom' })).not.toEqual([]);
    expect(
      contract.validateResponse({
        method: 'GET',
        template: '/pets/{id}',
        status: 200,
        body: { name: 'x' },
      }),
    ).toEqual([]);
    expect(
      contract.validateResponse({
        method: 'GET',
        template: '/pets/{id}',
        status: 404,
        body: {},
      }),
    ).toEqual(['GET /api/v1/pets/{id}: no schema for a 404 answer']);
    expect(contract.validateSchema('Pet', { name: 1 })).toEqual([
      'Pet: /name must be string {"type":"string"}',
    ]);
  });

  it('applies patches and names problems after the contract', () => {
    const named = new OpenApiContract(swagger(), {
      name: 'v1',
      patches: [
        doc => {
          doc.definitions!.Pet.additionalProperties = false;
        },
      ],
    });
    expect(
      named.validateSchema('Pet', { name: 'Rex', colour: 'red' }),
    ).not.toEqual([]);
    expect(named.validateRequest(request({ path: '/nope' }))).toEqual([
      'v1: no operation for GET /nope',
    ]);
    expect(named.operation('GET', '/v1/pets')?.where).toBe('v1 GET /v1/pets');
  });
});

describe('OpenApiContract with an OpenAPI 3.1 document', () => {
  const contract = new OpenApiContract({
    openapi: '3.1.0',
    servers: [{ url: 'https://example.com/api/v1/' }],
    paths: {
      '/query': {
        get: {
          parameters: [
            {
              name: 'query',
              in: 'query',
              required: true,
              schema: { type: 'string' },
            },
            {
              name: 'time',
              in: 'query',
              schema: {
                oneOf: [
                  { type: 'number' },
                  { type: 'string', format: 'date-time' },
                ],
              },
            },
            {
              name: 'match[]',
              in: 'query',
              schema: { type: 'array', items: { type: 'string' } },
            },
          ],
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Result' },
                },
              },
            },
            default: { $ref: '#/components/responses/Error' },
          },
        },
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Query' },
              },
            },
          },
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Result' },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Query: {
          type: 'object',
          required: ['query'],
          properties: { query: { type: 'string' } },
        },
        Result: {
          type: 'object',
          required: ['status'],
          properties: {
            status: { const: 'success' },
            data: { type: ['array', 'null'] },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'string' } },
        },
      },
      responses: {
        Error: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Error' },
            },
          },
        },
      },
    },
  });

  it('accepts conforming requests; numeric query text satisfies a number schema', () => {
    expect(contract.prefix).toBe('/api/v1');
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/query',
          query: {
            query: ['up'],
            time: ['1700000000.5'],
            'match[]': ['a', 'b'],
          },
        }),
      ),
    ).toEqual([]);
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/query',
          query: { query: ['up'], time: ['2026-01-02T13:37:00Z'] },
        }),
      ),
    ).toEqual([]);
    expect(
      contract.validateRequest(
        request({
          method: 'POST',
          path: '/api/v1/query',
          headers: { 'content-type': 'application/json' },
          body: '{"query":"up"}',
        }),
      ),
    ).toEqual([]);
  });

  it('rejects bad requests', () => {
    expect(
      contract.validateRequest(
        request({ path: '/api/v1/query', query: { time: ['1'] } }),
      ),
    ).toEqual(["GET /api/v1/query: required query parameter 'query' missing"]);
    expect(
      contract.validateRequest(
        request({
          path: '/api/v1/query',
          query: { query: ['up'], time: ['yesterday'] },
        }),
      ),
    ).not.toEqual([]);
    expect(
      contract.validateRequest(
        request({ path: '/api/v1/query', query: { query: ['a', 'b'] } }),
      ),
    ).toEqual(["GET /api/v1/query: query parameter 'query' repeated"]);
    expect(
      contract.validateRequest(
        request({ path: '/api/v1/query', query: { query: ['up'] }, body: 'x' }),
      ),
    ).toEqual(['GET /api/v1/query: takes no body but got one']);
    expect(
      contract.validateRequest(
        request({
          method: 'POST',
          path: '/api/v1/query',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      ),
    ).toEqual([
      `POST /api/v1/query body: / must have required property 'query' {"missingProperty":"query"}`,
    ]);
    expect(
      contract.validateRequest(
        request({
          method: 'POST',
          path: '/api/v1/query',
          headers: { 'content-type': 'text/plain' },
          body: '{"query":"up"}',
        }),
      ),
    ).toEqual([
      "POST /api/v1/query: Content-Type 'text/plain' is not one of application/json",
    ]);
  });

  it('validates answers per status, with $ref responses as default', () => {
    const answer = (status: number, body: unknown) =>
      contract.validateResponse({
        method: 'GET',
        path: '/api/v1/query',
        status,
        body,
      });
    expect(answer(200, { status: 'success', data: null })).toEqual([]);
    expect(answer(200, { status: 'error' })).not.toEqual([]);
    expect(answer(503, { error: 'TSDB not ready' })).toEqual([]);
    expect(answer(503, { status: 'error' })).not.toEqual([]);
    expect(contract.validateSchema('Result', { status: 'success' })).toEqual(
      [],
    );
  });

  it('refuses documents that are neither Swagger 2.0 nor OpenAPI 3', () => {
    expect(() => new OpenApiContract({ paths: {} }, {}, 'x.yaml')).toThrow(
      'x.yaml is neither Swagger 2.0 nor OpenAPI 3.x',
    );
  });
});
