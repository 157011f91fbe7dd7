import type { Command } from '../shared/decider';

export type RegisterIssuer = Command<
  'RegisterIssuer',
  {
    issuerId: string;
    name: string;
    url: string;
    country: string;
    qualityAssurance: string;
    framework?: string;
  }
>;

export type IssuerCommand = RegisterIssuer;
