/** A small HTTP core under `rlaifv serve` and `rlaifv audit`: a socket-free app and its node:http adapter. */
export { HttpApp, METHODS, type Context, type Handler, type HttpAppOptions, type Method, type Miss } from './app.ts';
export { HttpError, type HttpErrorOptions } from './errors.ts';
export { bodyText, byteLength, bytes, html, json, parseJson, type Body, type HttpRequest, type HttpResponse } from './responses.ts';
export { listen, requestLine, type Answering, type ListenOptions, type Listening, type RequestLogEntry } from './node.ts';
