import express from 'express';
import { checkHealth, type HealthSources } from './health';

export interface AppDeps {
  health: HealthSources;
}

/** The HTTP app: health, the coordinators' API and the visualizer pages. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');

  // 200 when Temporal answers and the worker polls; 503 with the same body otherwise, so load
  // balancers and people read the same report.
  app.get('/health', async (_req, res) => {
    const report = await checkHealth(deps.health);
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  return app;
}
