/** Baseline server: a Fastify hello-world route, no logging, nothing else. Child process of the bench. */
import Fastify from 'fastify';
import { serve } from './serve';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
void serve(app);
