// A real OAuth2 authorization server (oidc-provider, client credentials grant) in front of a target
// that accepts only its live tokens — the REST adapter's token-use test.
//
//   node oauth_target.js --port-file FILE [--ttl SECONDS]
//
// Issuer http://127.0.0.1:<port>; token endpoint POST /token; client "coregate" / secret
// "coregate-secret" (client_secret_basic), scope "arrangements:write".
// Routes besides oidc-provider's:
//   POST /api/<anything>  201 {"id"} with a live bearer token, else 401
//   POST /_revoke         every token issued so far is refused from now on (forces a 401)
//   GET  /_stats          {"token_requests": n, "api_requests": n, "api_401": n}
'use strict';
const http = require('http');
const { args, writePortFile, json, readBody } = require('./common');
const Provider = require('oidc-provider').default || require('oidc-provider');

const a = args();
const ttl = Number(a.ttl || 3600);
const stats = { token_requests: 0, api_requests: 0, api_401: 0 };
let revokedBefore = 0;
let next = 0;

async function main() {
  const server = http.createServer();
  await new Promise((r) => server.listen(Number(a.port || 0), '127.0.0.1', r));
  const port = server.address().port;
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{
      client_id: 'coregate', client_secret: 'coregate-secret',
      grant_types: ['client_credentials'], redirect_uris: [], response_types: [],
      token_endpoint_auth_method: 'client_secret_basic', scope: 'arrangements:write',
    }],
    scopes: ['arrangements:write'],
    features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
    ttl: { ClientCredentials: ttl },
  });
  provider.on('server_error', (ctx, err) => console.error('oidc error', err));
  const oidc = provider.callback();
  server.on('request', async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/_stats') return json(res, 200, stats);
    if (url.pathname === '/_revoke') { revokedBefore = Math.floor(Date.now() / 1000) + 1; return json(res, 200, {}); }
    if (url.pathname.startsWith('/api/')) {
      await readBody(req);
      stats.api_requests++;
      const auth = req.headers.authorization || '';
      const m = auth.match(/^Bearer (.+)$/);
      const token = m ? await provider.ClientCredentials.find(m[1]) : undefined;
      if (!token || token.iat < revokedBefore) {
        stats.api_401++;
        return json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
      }
      return json(res, 201, { id: 'o-' + (++next) });
    }
    if (url.pathname === '/token' && req.method === 'POST') stats.token_requests++;
    return oidc(req, res);
  });
  server.keepAliveTimeout = 60000;
  writePortFile(a['port-file'], port);
}
main().catch((e) => { console.error(e); process.exit(1); });
