import { X12Acknowledgement, X12FunctionalGroupAcknowledgement, X12TransactionSetAcknowledgement } from '@crc/contracts';
import { SetTally } from '../../x12/interchange-834-reader';

/** IK501: a set is rejected when its envelope is wrong or none of its member loops was taken. */
function setStatus(set: SetTally): X12TransactionSetAcknowledgement['status'] {
  if (set.envelopeError || (set.memberLoops > 0 && set.rejectedLoops === set.memberLoops)) return 'R';
  return set.rejectedLoops > 0 ? 'E' : 'A';
}

/** The 999-style summary (AK1/AK2/IK5/AK9) of what was read. */
export function acknowledge(controlNumber: string, groups: Array<{ controlNumber: string; version: string; sets: SetTally[] }>): X12Acknowledgement {
  return {
    interchangeControlNumber: controlNumber,
    functionalGroups: groups.map((group): X12FunctionalGroupAcknowledgement => {
      const transactionSets = group.sets.map((set) => ({
        controlNumber: set.controlNumber,
        status: setStatus(set),
        memberLoops: set.memberLoops,
        rejectedLoops: set.rejectedLoops,
      }));
      const accepted = transactionSets.filter((s) => s.status !== 'R').length;
      const status = accepted === 0 ? 'R' : accepted < transactionSets.length ? 'P' : transactionSets.some((s) => s.status === 'E') ? 'E' : 'A';
      return {
        controlNumber: group.controlNumber,
        version: group.version,
        status,
        transactionSetsIncluded: transactionSets.length,
        transactionSetsReceived: transactionSets.length,
        transactionSetsAccepted: accepted,
        transactionSets,
      };
    }),
  };
}
