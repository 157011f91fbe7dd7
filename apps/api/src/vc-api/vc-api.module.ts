import { Module } from '@nestjs/common';
import { CredentialsModule } from '../credentials/credentials.module';
import { CredentialIssuance } from './credential-issuance';
import { VcApiController } from './vc-api.controller';
import { VcApiVerification } from './vc-api-verification';

/** The W3C CCG VC-API over the api's credential builder, keys and verifier (issue 16). */
@Module({
  imports: [CredentialsModule],
  controllers: [VcApiController],
  providers: [CredentialIssuance, VcApiVerification],
})
export class VcApiModule {}
