// The observability feature: /health (each dependency checked), /metrics (Prometheus text) and
// the metrics every feature reports through.

export { metricsBearerAuth } from "./bearer-token";
export { checkHealth, type HealthStatus, healthRoute } from "./health";
export { HealthCheckFailure } from "./health-codes";
export { httpMetricsMiddleware } from "./http-metrics";
export { type AcceptanceResult, type CoreMetrics, createCoreMetrics } from "./metrics";
export { metricsRoute } from "./metrics-route";
