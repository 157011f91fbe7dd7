import type { TesseraConfig } from '@app/config';
import type { EventStore, SqlClient } from '@app/event-store';
import { Module } from '@nestjs/common';
import { StreamCommands } from '@app/application';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';
import { AwardCredentials } from './award-credentials';
import { ClrCredentials } from './clr-credentials';
import { ClrController } from './clr.http.controller';
import {
  AwardCredentialInputsQueryHandler,
  DefinedPathwaysQueryHandler,
  LearnerLedgerQueryHandler,
  QualificationQueryHandler,
} from './credential.queries';
import { CredentialVerifier } from './credential-verifier';
import { AwardCredentialController, CredentialVerifyController, JwksController } from './credentials.http.controller';
import { IssuerKeyStore, keyEncryptionSecret } from './issuer-key.store';
import { KeyCompromise } from './key-compromise';
import { LedgerRecords } from './ledger-records';
import { QualificationCredentialController } from './qualification-credential.http.controller';
import { QualificationCredentials } from './qualification-credentials';
import { StatusListStore } from './status-list.store';
import { AwardStatusSource, StatusLists } from './status-lists';
import { StatusListsController } from './status-lists.http.controller';

/** Open Badges 3.0 and CLR 2.0 credentials: issuers' keys, signing, status lists, verification. */
@Module({
  controllers: [
    JwksController,
    AwardCredentialController,
    CredentialVerifyController,
    QualificationCredentialController,
    ClrController,
    StatusListsController,
  ],
  providers: [
    {
      provide: IssuerKeyStore,
      useFactory: (sql: SqlClient, streams: StreamCommands, config: TesseraConfig) =>
        new IssuerKeyStore(sql, streams, config.publicUrl, keyEncryptionSecret(config)),
      inject: [SQL_CLIENT, StreamCommands, TESSERA_CONFIG],
    },
    { provide: StatusListStore, useFactory: (sql: SqlClient) => new StatusListStore(sql), inject: [SQL_CLIENT] },
    {
      provide: StatusLists,
      useFactory: (entries: StatusListStore, keys: IssuerKeyStore, config: TesseraConfig, store: EventStore) =>
        new StatusLists(entries, keys, config.publicUrl, new AwardStatusSource(store)),
      inject: [StatusListStore, IssuerKeyStore, TESSERA_CONFIG, EVENT_STORE],
    },
    AwardCredentials,
    QualificationCredentials,
    ClrCredentials,
    CredentialVerifier,
    LedgerRecords,
    KeyCompromise,
    AwardCredentialInputsQueryHandler,
    QualificationQueryHandler,
    LearnerLedgerQueryHandler,
    DefinedPathwaysQueryHandler,
  ],
  exports: [IssuerKeyStore, KeyCompromise, AwardCredentials, ClrCredentials, CredentialVerifier],
})
export class CredentialsModule {}
