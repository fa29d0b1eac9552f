import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * The consumers' exception filter: whatever a message handler throws goes back, unchanged, to the
 * consumer loop, which leaves the chunk uncommitted, retries it and restarts itself if it keeps
 * failing (and logs the error there, redacted). Nest's default filter would log it and replace it
 * with `{ status: 'error' }`, losing the store error a restart log must show.
 */
@Catch()
export class UncommittedBatchFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
