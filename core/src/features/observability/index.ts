// The observability feature: /health (each dependency checked), /metrics (Prometheus text) and
// the metrics every feature reports through.
export { checkHealth, type HealthStatus, healthRoute } from "./health";
export {
  type AcceptanceResult,
  type CoreMetrics,
  createCoreMetrics,
  httpMetricsMiddleware,
  metricsRoute,
} from "./metrics";
