import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { IssuerCommandHandler } from './issuer.handler';
import { IssuerQueryHandler } from './issuer.queries';
import { IssuersController } from './issuers.http.controller';

/** Issuers: registration, recognitions, and their signing keys (rotation, compromise) through the credentials. */
@Module({
  imports: [CredentialsModule],
  controllers: [IssuersController],
  providers: [IssuerCommandHandler, IssuerQueryHandler],
})
export class IssuersModule {}
