/**
 * What a test measures, in plain words (LOINC code → text). Never what a value means for this
 * patient: that is the clinician's to say, so the page says so next to every result.
 */
const EXPLANATIONS: Record<string, string> = {
  '3016-3':
    'TSH (thyroid-stimulating hormone) is made by the pituitary gland and tells the thyroid how hard to work. It is the usual first test of how the thyroid is doing.',
  '4548-4':
    'HbA1c shows the average blood sugar over the past two to three months, from the sugar attached to red blood cells.',
  '2345-7': 'Glucose is the sugar in your blood at the moment the sample was taken.',
  '718-7': 'Hemoglobin is the protein in red blood cells that carries oxygen around the body.',
  '2093-3': 'Total cholesterol is the amount of all kinds of cholesterol (a fat) in the blood.',
  '2085-9': 'HDL is the kind of cholesterol that carries cholesterol away from the arteries.',
  '13457-7': 'LDL is the kind of cholesterol that can build up in the walls of the arteries.',
  '18262-6': 'LDL is the kind of cholesterol that can build up in the walls of the arteries.',
  '2571-8': 'Triglycerides are a kind of fat in the blood, from food and made by the liver.',
  '2160-0': 'Creatinine is a waste product the kidneys clear from the blood.',
  '33914-3': 'eGFR estimates how well the kidneys filter the blood.',
  '62238-1': 'eGFR estimates how well the kidneys filter the blood.',
  '98979-8': 'eGFR estimates how well the kidneys filter the blood.',
  '6690-2': 'White blood cells fight infection.',
  '777-3': 'Platelets help the blood to clot.',
  '2951-2': 'Sodium is a salt that keeps the balance of water in the body.',
  '2823-3': 'Potassium is a salt that nerves and muscles, including the heart, need to work.',
  '8867-4': 'Heart rate is how many times the heart beats in a minute.',
  '29463-7': 'Body weight.',
  '85354-9':
    'Blood pressure is the pressure of the blood on the walls of the arteries: the upper number while the heart beats, the lower between beats.',
};

export function explanationOf(code: string | undefined): string | undefined {
  return code ? EXPLANATIONS[code] : undefined;
}

/** Short names for common tests (LOINC), instead of the long LOINC display. */
const SHORT_NAMES: Record<string, string> = {
  '3016-3': 'TSH (thyroid)',
  '4548-4': 'HbA1c',
  '2345-7': 'Glucose',
  '718-7': 'Hemoglobin',
  '2093-3': 'Total cholesterol',
  '2085-9': 'HDL cholesterol',
  '13457-7': 'LDL cholesterol',
  '18262-6': 'LDL cholesterol',
  '2571-8': 'Triglycerides',
  '2160-0': 'Creatinine',
  '33914-3': 'eGFR',
  '62238-1': 'eGFR',
  '98979-8': 'eGFR',
  '8867-4': 'Heart rate',
  '29463-7': 'Weight',
  '85354-9': 'Blood pressure',
};

export function shortNameOf(code: string | undefined): string | undefined {
  return code ? SHORT_NAMES[code] : undefined;
}
