export {
  addressVerdict,
  urlVerdict,
  type AddressOptions,
  type AddressVerdict,
  type UrlOptions,
  type UrlVerdict,
} from './webhook-destination';
