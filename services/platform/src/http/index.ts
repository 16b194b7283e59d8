export { answerClientErrors, clientErrorProblem } from './client-errors';
export { healthRouter, type ReadinessCheck } from './health';
export {
  notFoundHandler,
  problemFor,
  problemHandler,
  sendProblem,
  type ProblemDetails,
} from './problem';
