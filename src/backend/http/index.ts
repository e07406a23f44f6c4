/** The OpenAI-compatible HTTP backend: what the rest of rlaifv imports. */
export { OpenAICompatibleBackend, openHttpBackend, type ProbeReport } from './backend.ts';
export { describeProbe, type EndpointReport, type ProbeNeeds } from './probe.ts';
export { HttpBackendSettingsSchema, parseHttpSettings, type HttpBackendSettings, type HttpBackendSettingsInput } from './settings.ts';
export { CapabilityError, ResponseFormatError, ServerError, type Capability } from './errors.ts';
export { isRetryable } from './retry.ts';
export { yesNoFromTopLogprobs, yesNoScores } from './yes-no.ts';
export type { PoolStats } from './pool.ts';
