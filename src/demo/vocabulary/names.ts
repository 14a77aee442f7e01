// Name and place vocabulary for synthetic people. Nicknames pair a formal given name with the
// short forms people give at a front desk: the MPI must treat them as the same name.

const words = (text: string): string[] => text.trim().split(/\s+/);
const lines = (text: string): string[] => text.trim().split(/\n\s*/);

export const femaleGivenNames = words(`
  Elizabeth Margaret Katherine Jennifer Patricia Jessica Susan Deborah Rebecca Samantha Victoria
  Catherine Abigail Kimberly Theresa Dorothy Josephine Maria Aisha Mei Priya Fatima Olivia Emma Sofia
  Chloe Grace Hannah Anna Linh Agnieszka Nadia Rosa Ingrid Zoe Leah Naomi Ruth Alice Ada
`);

export const maleGivenNames = words(`
  Robert William James Richard Michael Joseph Thomas Christopher Daniel Anthony Alexander Nicholas
  Benjamin Edward Andrew Steven Jonathan Matthew Gregory Timothy Charles David Omar Wei Arjun Kwame
  Luis Mateo Tuan Piotr Samuel Noah Elijah Hugo Ivan Yusuf Kenji Felix Oscar Leo
`);

export const familyNames = words(`
  Smith Johnson Williams Brown Jones Garcia García Miller Davis Rodriguez Martinez Hernández Lopez
  Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Nguyen Tran Okafor Adeyemi Kowalski Nowak
  Patel Shah Khan Chen Wang Kim Park Schmidt Müller O'Brien McDonald Sullivan Murphy Rossi Bianchi
  Haddad Cohen Levi Andersson Johansson Dubois Moreau Silva Santos Reyes Cruz Ortiz Bennett Hughes
  Foster Price Brooks Ward Fischer
`);

/** Formal given name → short forms used in practice. */
export const nicknames: Record<string, readonly string[]> = {
  Elizabeth: ['Liz', 'Beth', 'Lizzie', 'Betty'],
  Margaret: ['Peggy', 'Maggie', 'Meg'],
  Katherine: ['Kate', 'Katie', 'Kathy'],
  Jennifer: ['Jen', 'Jenny'],
  Patricia: ['Pat', 'Trish', 'Patty'],
  Jessica: ['Jess'],
  Susan: ['Sue', 'Susie'],
  Deborah: ['Debbie', 'Deb'],
  Rebecca: ['Becky', 'Becca'],
  Samantha: ['Sam', 'Sammy'],
  Victoria: ['Vicky', 'Tori'],
  Catherine: ['Cathy', 'Cat'],
  Abigail: ['Abby'],
  Kimberly: ['Kim'],
  Theresa: ['Tess', 'Terri'],
  Dorothy: ['Dot', 'Dottie'],
  Josephine: ['Jo', 'Josie'],
  Robert: ['Bob', 'Rob', 'Bobby'],
  William: ['Bill', 'Will', 'Billy'],
  James: ['Jim', 'Jimmy', 'Jamie'],
  Richard: ['Rick', 'Rich', 'Dick'],
  Michael: ['Mike', 'Mick'],
  Joseph: ['Joe', 'Joey'],
  Thomas: ['Tom', 'Tommy'],
  Christopher: ['Chris'],
  Daniel: ['Dan', 'Danny'],
  Anthony: ['Tony'],
  Alexander: ['Alex', 'Sasha'],
  Nicholas: ['Nick'],
  Benjamin: ['Ben'],
  Edward: ['Ed', 'Ted', 'Eddie'],
  Andrew: ['Andy', 'Drew'],
  Steven: ['Steve'],
  Jonathan: ['Jon'],
  Matthew: ['Matt'],
  Gregory: ['Greg'],
  Timothy: ['Tim'],
  Charles: ['Charlie', 'Chuck'],
  David: ['Dave'],
  Samuel: ['Sam'],
};

export const streetNames = lines(`
  Maple Avenue
  Oak Street
  River Road
  Church Lane
  Elm Drive
  Harbor View
  Mill Street
  Cedar Court
  Station Road
  Park Place
  Willow Way
  High Street
  Orchard Lane
  Bridge Street
`);

/** A small fictional catchment area around the demo clinic: [city, postal code prefix]. */
export const towns = [
  ['Riverton', '9740'],
  ['Millbrook', '9741'],
  ['Lakeside', '9742'],
  ['Oak Hill', '9743'],
] as const;

/** Preferred languages (BCP 47) with their share of the catchment. */
export const languages = [
  [{ code: 'en', display: 'English' }, 70],
  [{ code: 'es', display: 'Spanish' }, 12],
  [{ code: 'vi', display: 'Vietnamese' }, 5],
  [{ code: 'zh', display: 'Chinese' }, 4],
  [{ code: 'pl', display: 'Polish' }, 4],
  [{ code: 'ar', display: 'Arabic' }, 3],
  [{ code: 'fr', display: 'French' }, 2],
] as const;
