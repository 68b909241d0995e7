// The in-process adapters (demo mode, no REDIS_URL): cache and job queue in memory.
export { createInProcessCache, type InProcessCache, type InProcessCacheOptions } from "./cache";
export {
  createInProcessJobs,
  type InProcessJobs,
  type InProcessJobsOptions,
} from "./job-queue";
export { createInProcessMemoryBus } from "./memory-bus";
