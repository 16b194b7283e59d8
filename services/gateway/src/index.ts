export { createApp, type GatewayDependencies } from './http/app';
export { gatewayConfig, type GatewayConfig } from './config';
