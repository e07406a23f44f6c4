/** `rlaifv serve`: an OpenAI-compatible HTTP server in front of any ModelBackend. */
export { startServer, type RunningServer, type StartServerOptions } from './server.ts';
export { createApp, type AppOptions, type ServeApp, type ServeRequest, type ServeResponse } from './app.ts';
export { ServeSettingsSchema, parseServeSettings, type ServeSettings, type ServeSettingsInput } from './settings.ts';
export type { ServableBackend, ServeExtensions, TokenLogprob } from './extensions.ts';
export { BatchingBackend } from './batching-backend.ts';
export { ServedModels, type AdapterLoader, type ModelLease, type OpenedAdapter } from './models.ts';
export { adapterFolder, isLoopbackHost, loraRoot, type AdapterRoot } from './lora-requests.ts';
