import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Where the timeline page's files live: plain ES modules and CSS, served as they are. */
export const TIMELINE_ROOT = path.resolve(__dirname, '../../../public/timeline');
export const TIMELINE_PREFIX = '/timeline/';

/**
 * The timeline page: `/` is its HTML, `/timeline/*` its scripts and styles.
 * No build step and nothing fetched from elsewhere: the files in
 * public/timeline are what the browser runs. `wildcard: false` registers one
 * route per file at start-up instead of a catch-all, so unknown URLs still
 * reach the API's 404 handler. The page calls the public API like any client.
 * Encapsulated (no fastify-plugin): reply.sendFile stays private to it.
 */
export const staticPagesPlugin: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: TIMELINE_ROOT,
    prefix: TIMELINE_PREFIX,
    wildcard: false,
    index: false,
    // A redeploy must reach browsers at once; ETags keep revalidation cheap.
    maxAge: 0,
  });
  // The query string (?patient=…&from=…&to=…) is read by the page, not the server.
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html'));
};
