/** Every validation rule, in the order their messages are produced (output is sorted anyway). */
import type { Rule } from '../rule.js';
import { annotations } from './annotations.js';
import { containerPort } from './container-port.js';
import { endPort } from './end-port.js';
import { ipBlock } from './ip-block.js';
import { labelSelector } from './label-selector.js';
import { labels } from './labels.js';
import { objectName } from './object-name.js';
import { objectNamespace } from './object-namespace.js';
import { peer } from './peer.js';
import { podIP } from './pod-ip.js';
import { policyTypes } from './policy-types.js';
import { port } from './port.js';
import { protocol } from './protocol.js';
import { uniqueName } from './unique-name.js';

export const ALL_RULES: readonly Rule[] = [
  objectName,
  objectNamespace,
  labels,
  annotations,
  labelSelector,
  policyTypes,
  protocol,
  port,
  endPort,
  peer,
  ipBlock,
  uniqueName,
  containerPort,
  podIP,
];
