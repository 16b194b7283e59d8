// The gateway process of the tests lives in @alert-exchange/testing (the chaos harness and
// the benchmark start it too); kept here under its old name for the gateway's suites.
export {
  OPERATOR_KEY,
  startGateway,
  startReadyGateway,
  type GatewayProcess,
} from '@alert-exchange/testing';
