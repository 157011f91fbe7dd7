import { HttpException, type HttpStatus } from '@nestjs/common';
import type { ErrorDialect } from '../problems/problem.filter';

/** The spec's code minor values (Imsx_CodeMinorField.imsx_codeMinorFieldValue). */
export type ImsxCodeMinor =
  | 'forbidden'
  | 'fullsuccess'
  | 'internal_server_error'
  | 'invalid_data'
  | 'invalid_query_parameter'
  | 'not_found'
  | 'server_busy'
  | 'unauthorizedrequest'
  | 'unknown';

/** An error of the OB 3.0 / CLR 2.0 API as the spec's Imsx_StatusInfo. */
export interface ImsxStatusInfo {
  imsx_codeMajor: 'failure';
  imsx_severity: 'error';
  imsx_description: string;
  imsx_codeMinor: { imsx_codeMinorField: Array<{ imsx_codeMinorFieldName: string; imsx_codeMinorFieldValue: string }> };
}

export const imsxStatus = (description: string, codeMinor: ImsxCodeMinor): ImsxStatusInfo => ({
  imsx_codeMajor: 'failure',
  imsx_severity: 'error',
  imsx_description: description,
  imsx_codeMinor: {
    imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'Tessera', imsx_codeMinorFieldValue: codeMinor }],
  },
});

/** Thrown by the OB 3.0 routes with the HTTP status and code minor the spec names. */
export class ImsxError extends HttpException {
  constructor(status: HttpStatus, description: string, codeMinor: ImsxCodeMinor) {
    super(imsxStatus(description, codeMinor), status);
  }
}

const CODE_MINOR_OF: Partial<Record<number, ImsxCodeMinor>> = {
  400: 'invalid_data',
  401: 'unauthorizedrequest',
  403: 'forbidden',
  404: 'not_found',
  415: 'invalid_data',
  422: 'invalid_data',
  429: 'server_busy',
  503: 'server_busy',
};

/**
 * The OB 3.0 and CLR 2.0 routes answer every error as Imsx_StatusInfo: an ImsxError as thrown, anything else (a
 * guard's problem, a body the parser refused, a domain error, a store failure) translated from the problem the rest
 * of the api would answer.
 */
export const imsxDialect: ErrorDialect = {
  // The OAuth endpoints speak OAuth's own errors; institution-clients is Tessera's own route (problem+json).
  matches: (path) => /^\/ims\/(ob\/v3p0|clr\/v2p0)\/(?!oauth\/)/.test(path),
  send(response, problem, error) {
    if (error instanceof ImsxError) {
      response.status(error.getStatus()).json(error.getResponse());
      return;
    }
    const codeMinor = CODE_MINOR_OF[problem.status] ?? (problem.status >= 500 ? 'internal_server_error' : 'unknown');
    response.status(problem.status).json(imsxStatus(problem.detail ?? problem.title, codeMinor));
  },
};
