import type { DrugSchedule } from './drugs';

/* Pharmacological classes and drug schedules guessed from a drug's name. */

/** Pharmacological classes guessed from the name, for allergy checks. */
const CLASS_KEYWORDS: [RegExp, string[]][] = [
  [/cillin\b/, ['penicillin', 'beta-lactam']],
  [/\bcef|\bceph/, ['cephalosporin', 'beta-lactam']],
  [/penem\b/, ['carbapenem', 'beta-lactam']],
  [/clavulan|sulbactam|tazobactam/, ['beta-lactamase inhibitor']],
  [/\b(azithro|clarithro|erythro|roxithro)mycin\b/, ['macrolide']],
  [/floxacin\b/, ['fluoroquinolone']],
  [/cycline\b/, ['tetracycline']],
  [/sulfamethoxazole|sulphamethoxazole|co-?trimoxazole|sul(f|ph)adiazine|sulfasalazine|sulphasalazine|dapsone/, ['sulfonamide']],
  [/\b(metro|ti|or|secn)nidazole\b/, ['nitroimidazole']],
  [/\b(genta|ami|tobra|neo|strepto)mycin\b|\bamikacin\b|framycetin/, ['aminoglycoside']],
  [/\b(clinda|linco)mycin\b/, ['lincosamide']],
  [/linezolid/, ['oxazolidinone']],
  [/nitrofurantoin/, ['nitrofuran']],
  [/rifampicin|rifabutin|rifaximin/, ['rifamycin']],
  [/isoniazid|pyrazinamide|ethambutol|rifampicin|ethionamide|cycloserine/, ['antitubercular']],
  [/ibuprofen|diclofenac|aceclofenac|naproxen|ketorolac|mefenamic|piroxicam|indomethacin|etoricoxib|celecoxib|nimesulide|etodolac|flurbiprofen|ketoprofen|lornoxicam|meloxicam|aspirin|acetylsalicylic/, ['nsaid']],
  [/coxib\b/, ['cox-2 inhibitor']],
  [/aspirin|acetylsalicylic|salicylate|salicylic/, ['salicylate']],
  [/paracetamol|acetaminophen/, ['analgesic', 'antipyretic']],
  [/tramadol|tapentadol|codeine|morphine|pentazocine|buprenorphine|fentanyl|butorphanol/, ['opioid']],
  [/prazole\b/, ['proton pump inhibitor']],
  [/\b(famo|rani)tidine\b/, ['h2 blocker']],
  [/sartan\b/, ['arb']],
  [/pril\b/, ['ace inhibitor']],
  [/olol\b|carvedilol|labetalol/, ['beta blocker']],
  [/dipine\b/, ['calcium channel blocker']],
  [/\b(atorva|rosuva|simva|prava|pitava|fluva|lova)statin\b/, ['statin']],
  [/metformin/, ['biguanide']],
  [/glimepiride|gliclazide|glibenclamide|glipizide/, ['sulfonylurea']],
  [/gliptin\b/, ['dpp-4 inhibitor']],
  [/gliflozin\b/, ['sglt2 inhibitor']],
  [/glitazone\b/, ['thiazolidinedione']],
  [/\binsulin\b/, ['insulin']],
  [/conazole\b|clotrimazole|bifonazole/, ['azole antifungal']],
  [/terbinafine/, ['allylamine antifungal']],
  [/nystatin|amphotericin/, ['polyene antifungal']],
  [/clopidogrel|prasugrel|ticagrelor/, ['antiplatelet']],
  [/acenocoumarol|nicoumalone|warfarin|apixaban|rivaroxaban|dabigatran|heparin|enoxaparin|dalteparin|fondaparinux/, ['anticoagulant']],
  [/cetirizine|fexofenadine|loratadine|chlorpheniramine|pheniramine|hydroxyzine|promethazine|cyproheptadine|bilastine|olopatadine|ebastine|rupatadine|doxylamine|cinnarizine/, ['antihistamine']],
  [/montelukast/, ['leukotriene antagonist']],
  [/prednisolone|dexamethasone|betamethasone|hydrocortisone|budesonide|fluticasone|mometasone|clobetasol|beclomethasone|deflazacort|triamcinolone|halobetasol|fluocinolone|methylprednisolone/, ['corticosteroid']],
  [/azepam\b|alprazolam|clobazam|chlordiazepoxide|etizolam|midazolam/, ['benzodiazepine']],
  [/albendazole|mebendazole|ivermectin|praziquantel|pyrantel/, ['anthelmintic']],
  [/salbutamol|formoterol|salmeterol|terbutaline|indacaterol|vilanterol|olodaterol/, ['beta-2 agonist']],
  [/tiotropium|ipratropium|glycopyrronium|glycopyrrolate|dicyclomine|hyoscine/, ['antimuscarinic']],
  [/furosemide|frusemide|torsemide|bumetanide/, ['loop diuretic']],
  [/hydrochlorothiazide|chlorthalidone|indapamide|metolazone/, ['thiazide diuretic']],
  [/povidone|iodine/, ['iodine']],
  [/lignocaine|lidocaine|bupivacaine|prilocaine/, ['amide local anaesthetic']],
  [/benzocaine/, ['ester local anaesthetic']],
  [/amitriptyline|nortriptyline|clomipramine|imipramine|dothiepin|dosulepin|doxepin/, ['tricyclic antidepressant']],
  [/citalopram|sertraline|fluoxetine|paroxetine|fluvoxamine|vortioxetine/, ['ssri']],
  [/duloxetine|venlafaxine|desvenlafaxine/, ['snri']],
  [/phenytoin|valpro|levetiracetam|carbamazepine|oxcarbazepine|lamotrigine|topiramate|lacosamide|phenobarb|clobazam|brivaracetam|zonisamide/, ['antiepileptic']],
  [/pregabalin|gabapentin/, ['gabapentinoid']],
  [/olanzapine|risperidone|quetiapine|aripiprazole|haloperidol|amisulpride|clozapine|paliperidone|ziprasidone|chlorpromazine|trifluoperazine/, ['antipsychotic']],
  [/voglibose|acarbose|miglitol/, ['alpha-glucosidase inhibitor']],
  [/fenofibrate|gemfibrozil|saroglitazar/, ['fibrate']],
  [/zolpidem|zopiclone|eszopiclone/, ['hypnotic', 'z-drug']],
  [/mupirocin/, ['topical antibacterial']],
  [/fusidic|fusidate/, ['fusidane']],
  [/vaccine|toxoid/, ['vaccine']],
  [/levothyroxine|thyroxine/, ['thyroid hormone']],
  [/carbimazole|methimazole|propylthiouracil/, ['antithyroid']],
];

/** Everyday products sold without a prescription: no schedule is guessed for these classes alone. */
const OTC_CLASSES = new Set(['analgesic', 'antipyretic', 'salicylate', 'iodine']);

/** Drugs and Cosmetics Rules Schedule H1 (2013 list). */
const SCHEDULE_H1 =
  /alprazolam|balofloxacin|buprenorphine|capreomycin|cefdinir|cefditoren|cefepime|cefetamet|cefixime|cefoperazone|cefotaxime|cefpirome|cefpodoxime|ceftazidime|ceftibuten|ceftizoxime|ceftriaxone|chlordiazepoxide|clofazimine|codeine|cycloserine|diazepam|diphenoxylate|doripenem|ertapenem|ethambutol|ethionamide|f[ae]ropenem|gemifloxacin|imipenem|isoniazid|levofloxacin|meropenem|midazolam|moxifloxacin|nitrazepam|pentazocine|prulifloxacin|pyrazinamide|rifabutin|rifampicin|aminosalicylate|sparfloxacin|thiacetazone|tramadol|zolpidem/;

export function guessClasses(name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [pattern, classes] of CLASS_KEYWORDS) {
    if (pattern.test(lower)) for (const c of classes) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** H1 by the published list; H for anything with a prescription-only class; otherwise unknown (null). */
export function guessSchedule(name: string, classes: string[]): DrugSchedule | null {
  if (SCHEDULE_H1.test(name.toLowerCase())) return 'H1';
  return classes.some((c) => !OTC_CLASSES.has(c)) ? 'H' : null;
}
