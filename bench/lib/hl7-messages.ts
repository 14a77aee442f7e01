/** A deterministic ADT+ORU mix for synthetic patients, for the HL7 v2 benchmarks. */
export function syntheticMessages(count: number, prefix = 'B'): string[] {
  const messages: string[] = [];
  for (let i = 0; i < count; i++) {
    const patient = i % 500;
    const pid = `PID|1||MRN${patient}^^^RIVERSIDE^MR||Family${patient}^Given${patient % 37}^Q||19${50 + (patient % 50)}0${1 + (patient % 9)}1${patient % 9}|${patient % 2 ? 'F' : 'M'}|||${patient} Elm St^^Springfield^IL^627${patient % 100}||^PRN^PH^^1^217^555${String(patient).padStart(4, '0')}`;
    const id = `${prefix}${i}`;
    if (i % 2 === 0) {
      messages.push(
        [
          `MSH|^~\\&|REG|RIVERSIDE|TL|CLINIC|20261123083000||ADT^A08^ADT_A01|${id}|P|2.5.1`,
          'EVN|A08|20261123083000',
          pid,
          `PV1|1|O|GP^1^A||||1234^Doctor^Dana|||||||||||V${patient}^^^RIVERSIDE^VN`,
        ].join('\r') + '\r',
      );
    } else {
      messages.push(
        [
          `MSH|^~\\&|LAB|NORTH|TL|CLINIC|20261123083000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
          pid,
          `ORC|RE|ORD${i}^GP|LAB${i}^NORTH`,
          `OBR|1|ORD${i}^GP|LAB${i}^NORTH|24331-1^Lipid panel^LN|||20261120090000||||||||||||||20261121100000|||F`,
          `OBX|1|NM|2093-3^Cholesterol^LN||${150 + (i % 90)}|mg/dL^mg/dL^UCUM|<200|N|||F`,
          `OBX|2|NM|2085-9^HDL^LN||${40 + (i % 30)}|mg/dL^mg/dL^UCUM|>40|N|||F`,
          `OBX|3|NM|13457-7^LDL^LN||${90 + (i % 80)}|mg/dL^mg/dL^UCUM|<130|${i % 3 ? 'N' : 'H'}|||F`,
          'NTE|1||Fasting sample',
        ].join('\r') + '\r',
      );
    }
  }
  return messages;
}
