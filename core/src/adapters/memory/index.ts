// The in-process adapters (demo mode, no REDIS_URL): cache and job queue in memory.
export { createMemoryCache, type MemoryCache, type MemoryCacheOptions } from "./cache";
export {
  createInProcessJobs,
  type InProcessJobs,
  type InProcessJobsOptions,
} from "./job-queue";
