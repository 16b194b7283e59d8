export { createApp, type GatewayDependencies } from './http/app';
export { gatewayConfig, type GatewayConfig } from './config';
export { openApiDocument } from './http/openapi';
