import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { IssuerCommandHandler } from './issuer.handler';
import { IssuersController } from './issuers.http.controller';

/** Issuers: registration, recognitions, and their signing keys (rotation, compromise) through the credentials. */
@Module({ imports: [CredentialsModule], controllers: [IssuersController], providers: [IssuerCommandHandler] })
export class IssuersModule {}
