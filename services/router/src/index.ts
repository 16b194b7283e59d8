export { AlertRouter, type RouterOptions } from './router';
export { routerConfig, type RouterConfig } from './config';
export { deliveryIdOf } from './delivery-id';
