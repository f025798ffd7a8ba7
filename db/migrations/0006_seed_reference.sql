-- Reference data every workstation starts with, written by the app (not imported):
-- a starter list of ICD-10 codes common in Indian OPDs, and common lab tests. The full ICD-10
-- list is loaded later with reference.importIcd10. Seed rows have fixed ids so that every
-- workstation holds the same rows and sync never sees them as new.
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A01.0', 'Typhoid fever', 'A01', 1, 0, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A09', 'Infectious gastroenteritis and colitis, unspecified', 'A09', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A15.0', 'Tuberculosis of lung', 'A15', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A90', 'Dengue fever [classical dengue]', 'A90', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A91', 'Dengue haemorrhagic fever', 'A91', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('A92.0', 'Chikungunya virus disease', 'A92', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B01.9', 'Varicella without complication', 'B01', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B05.9', 'Measles without complication', 'B05', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B15.9', 'Hepatitis A without hepatic coma', 'B15', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B34.9', 'Viral infection, unspecified', 'B34', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B35.4', 'Tinea corporis', 'B35', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B37.0', 'Candidal stomatitis', 'B37', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B50.9', 'Plasmodium falciparum malaria, unspecified', 'B50', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B54', 'Unspecified malaria', 'B54', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B82.9', 'Intestinal parasitism, unspecified', 'B82', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('B86', 'Scabies', 'B86', 1, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('D50.9', 'Iron deficiency anaemia, unspecified', 'D50', 3, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('D64.9', 'Anaemia, unspecified', 'D64', 3, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E03.9', 'Hypothyroidism, unspecified', 'E03', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E05.90', 'Thyrotoxicosis, unspecified without thyrotoxic crisis or storm', 'E05', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E11.9', 'Type 2 diabetes mellitus without complications', 'E11', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E11.65', 'Type 2 diabetes mellitus with hyperglycaemia', 'E11', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E10.9', 'Type 1 diabetes mellitus without complications', 'E10', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E55.9', 'Vitamin D deficiency, unspecified', 'E55', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E53.8', 'Deficiency of other specified B group vitamins', 'E53', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E66.9', 'Obesity, unspecified', 'E66', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E78.5', 'Hyperlipidaemia, unspecified', 'E78', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E86.0', 'Dehydration', 'E86', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('F32.9', 'Major depressive disorder, single episode, unspecified', 'F32', 5, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('F41.1', 'Generalised anxiety disorder', 'F41', 5, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('F51.01', 'Primary insomnia', 'F51', 5, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('G40.909', 'Epilepsy, unspecified, not intractable, without status epilepticus', 'G40', 6, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('G43.909', 'Migraine, unspecified, not intractable, without status migrainosus', 'G43', 6, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('G44.209', 'Tension-type headache, unspecified, not intractable', 'G44', 6, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('G47.00', 'Insomnia, unspecified', 'G47', 6, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('G56.00', 'Carpal tunnel syndrome, unspecified upper limb', 'G56', 6, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H10.9', 'Unspecified conjunctivitis', 'H10', 7, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H25.9', 'Unspecified age-related cataract', 'H25', 7, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H52.4', 'Presbyopia', 'H52', 7, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H60.9', 'Unspecified otitis externa', 'H60', 8, 0, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H66.90', 'Otitis media, unspecified, unspecified ear', 'H66', 8, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('H61.20', 'Impacted cerumen, unspecified ear', 'H61', 8, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I10', 'Essential (primary) hypertension', 'I10', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I20.9', 'Angina pectoris, unspecified', 'I20', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris', 'I25', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I48.91', 'Unspecified atrial fibrillation', 'I48', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I50.9', 'Heart failure, unspecified', 'I50', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I63.9', 'Cerebral infarction, unspecified', 'I63', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I83.90', 'Asymptomatic varicose veins of unspecified lower extremity', 'I83', 9, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('I84', 'Haemorrhoids', 'I84', 9, 0, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J00', 'Acute nasopharyngitis [common cold]', 'J00', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J01.90', 'Acute sinusitis, unspecified', 'J01', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J02.9', 'Acute pharyngitis, unspecified', 'J02', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J03.90', 'Acute tonsillitis, unspecified', 'J03', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J06.9', 'Acute upper respiratory infection, unspecified', 'J06', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J11.1', 'Influenza due to unidentified influenza virus with other respiratory manifestations', 'J11', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J18.9', 'Pneumonia, unspecified organism', 'J18', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J20.9', 'Acute bronchitis, unspecified', 'J20', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J30.9', 'Allergic rhinitis, unspecified', 'J30', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J32.9', 'Chronic sinusitis, unspecified', 'J32', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J44.9', 'Chronic obstructive pulmonary disease, unspecified', 'J44', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('J45.909', 'Unspecified asthma, uncomplicated', 'J45', 10, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K02.9', 'Dental caries, unspecified', 'K02', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K21.9', 'Gastro-oesophageal reflux disease without oesophagitis', 'K21', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K25.9', 'Gastric ulcer, unspecified as acute or chronic, without haemorrhage or perforation', 'K25', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K29.70', 'Gastritis, unspecified, without bleeding', 'K29', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K30', 'Functional dyspepsia', 'K30', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K35.80', 'Unspecified acute appendicitis', 'K35', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K40.90', 'Unilateral inguinal hernia, without obstruction or gangrene, not specified as recurrent', 'K40', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K52.9', 'Noninfective gastroenteritis and colitis, unspecified', 'K52', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K58.9', 'Irritable bowel syndrome without diarrhoea', 'K58', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K59.00', 'Constipation, unspecified', 'K59', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K76.0', 'Fatty (change of) liver, not elsewhere classified', 'K76', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('K80.20', 'Calculus of gallbladder without cholecystitis without obstruction', 'K80', 11, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L02.91', 'Cutaneous abscess, unspecified', 'L02', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L20.9', 'Atopic dermatitis, unspecified', 'L20', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L23.9', 'Allergic contact dermatitis, unspecified cause', 'L23', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L30.9', 'Dermatitis, unspecified', 'L30', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L40.9', 'Psoriasis, unspecified', 'L40', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L50.9', 'Urticaria, unspecified', 'L50', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('L70.0', 'Acne vulgaris', 'L70', 12, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M10.9', 'Gout, unspecified', 'M10', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M17.9', 'Osteoarthritis of knee, unspecified', 'M17', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M19.90', 'Unspecified osteoarthritis, unspecified site', 'M19', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M25.50', 'Pain in unspecified joint', 'M25', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M54.2', 'Cervicalgia', 'M54', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M54.50', 'Low back pain, unspecified', 'M54', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M06.9', 'Rheumatoid arthritis, unspecified', 'M06', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M62.830', 'Muscle spasm of back', 'M62', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M75.00', 'Adhesive capsulitis of unspecified shoulder', 'M75', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M79.1', 'Myalgia', 'M79', 13, 0, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('M81.0', 'Age-related osteoporosis without current pathological fracture', 'M81', 13, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N18.9', 'Chronic kidney disease, unspecified', 'N18', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N20.0', 'Calculus of kidney', 'N20', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N39.0', 'Urinary tract infection, site not specified', 'N39', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N40.0', 'Benign prostatic hyperplasia without lower urinary tract symptoms', 'N40', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N76.0', 'Acute vaginitis', 'N76', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N92.6', 'Irregular menstruation, unspecified', 'N92', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('N94.6', 'Dysmenorrhoea, unspecified', 'N94', 14, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('E28.2', 'Polycystic ovarian syndrome', 'E28', 4, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('O21.0', 'Mild hyperemesis gravidarum', 'O21', 15, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('O24.419', 'Gestational diabetes mellitus in pregnancy, unspecified control', 'O24', 15, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('O99.019', 'Anaemia complicating pregnancy, unspecified trimester', 'O99', 15, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z34.90', 'Encounter for supervision of normal pregnancy, unspecified, unspecified trimester', 'Z34', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('P59.9', 'Neonatal jaundice, unspecified', 'P59', 16, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R05.9', 'Cough, unspecified', 'R05', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R10.9', 'Unspecified abdominal pain', 'R10', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R11.2', 'Nausea with vomiting', 'R11', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R19.7', 'Diarrhoea, unspecified', 'R19', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R42', 'Dizziness and giddiness', 'R42', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R50.9', 'Fever, unspecified', 'R50', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R51.9', 'Headache, unspecified', 'R51', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R53.83', 'Other fatigue', 'R53', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R06.02', 'Shortness of breath', 'R06', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R07.9', 'Chest pain, unspecified', 'R07', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('R73.03', 'Prediabetes', 'R73', 18, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('S00.93XA', 'Contusion of unspecified part of head, initial encounter', 'S00', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('S61.419A', 'Laceration without foreign body of unspecified hand, initial encounter', 'S61', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('S93.409A', 'Sprain of unspecified ligament of unspecified ankle, initial encounter', 'S93', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('T14.90XA', 'Injury, unspecified, initial encounter', 'T14', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('T63.001A', 'Toxic effect of unspecified snake venom, accidental (unintentional), initial encounter', 'T63', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('T78.40XA', 'Allergy, unspecified, initial encounter', 'T78', 19, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('W54.0XXA', 'Bitten by dog, initial encounter', 'W54', 20, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z00.00', 'Encounter for general adult medical examination without abnormal findings', 'Z00', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z00.129', 'Encounter for routine child health examination without abnormal findings', 'Z00', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z23', 'Encounter for immunization', 'Z23', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z30.09', 'Encounter for other general counselling and advice on contraception', 'Z30', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z71.3', 'Dietary counselling and surveillance', 'Z71', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z76.0', 'Encounter for issue of repeat prescription', 'Z76', 21, 1, 1);
--> statement-breakpoint
INSERT INTO icd10_codes (code, title, category, chapter, billable, common) VALUES ('Z09', 'Encounter for follow-up examination after completed treatment for conditions other than malignant neoplasm', 'Z09', 21, 1, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000001', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'CBC', 'Complete blood count (CBC)', 'Blood (EDTA)', NULL, NULL, 30000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000002', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'HB', 'Haemoglobin', 'Blood (EDTA)', 'g/dL', '12.0-17.0', 10000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000003', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'ESR', 'Erythrocyte sedimentation rate (ESR)', 'Blood (EDTA)', 'mm/hr', '0-20', 10000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000004', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'FBS', 'Blood sugar, fasting', 'Blood (fluoride)', 'mg/dL', '70-100', 8000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000005', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'PPBS', 'Blood sugar, post-prandial', 'Blood (fluoride)', 'mg/dL', '< 140', 8000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000006', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'RBS', 'Blood sugar, random', 'Blood (fluoride)', 'mg/dL', '< 200', 8000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000007', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'HBA1C', 'Glycated haemoglobin (HbA1c)', 'Blood (EDTA)', '%', '4.0-5.6', 45000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000008', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'LIPID', 'Lipid profile', 'Serum', NULL, NULL, 50000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000009', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'TC', 'Total cholesterol', 'Serum', 'mg/dL', '< 200', 15000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000010', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'LFT', 'Liver function tests (LFT)', 'Serum', NULL, NULL, 60000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000011', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'SGPT', 'ALT (SGPT)', 'Serum', 'U/L', '7-56', 15000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000012', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'KFT', 'Kidney function tests (KFT)', 'Serum', NULL, NULL, 60000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000013', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'CREAT', 'Serum creatinine', 'Serum', 'mg/dL', '0.6-1.3', 15000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000014', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'UREA', 'Blood urea', 'Serum', 'mg/dL', '15-40', 15000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000015', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'UA', 'Serum uric acid', 'Serum', 'mg/dL', '3.5-7.2', 20000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000016', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'TSH', 'Thyroid stimulating hormone (TSH)', 'Serum', 'mIU/L', '0.4-4.0', 35000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000017', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'T3T4', 'Thyroid profile (T3, T4, TSH)', 'Serum', NULL, NULL, 60000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000018', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'VITD', 'Vitamin D (25-OH)', 'Serum', 'ng/mL', '30-100', 120000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000019', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'VITB12', 'Vitamin B12', 'Serum', 'pg/mL', '200-900', 90000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000020', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'URINE', 'Urine routine and microscopy', 'Urine', NULL, NULL, 10000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000021', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'UCS', 'Urine culture and sensitivity', 'Urine', NULL, NULL, 50000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000022', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'WIDAL', 'Widal test', 'Serum', NULL, NULL, 20000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000023', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'MP', 'Malaria parasite (smear / rapid test)', 'Blood (EDTA)', NULL, NULL, 20000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000024', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'DENGUE', 'Dengue NS1 antigen', 'Serum', NULL, NULL, 60000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000025', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'CRP', 'C-reactive protein (CRP)', 'Serum', 'mg/L', '< 6', 40000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000026', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'PLT', 'Platelet count', 'Blood (EDTA)', '×10³/µL', '150-450', 10000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000027', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'BGRH', 'Blood group and Rh type', 'Blood (EDTA)', NULL, NULL, 10000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000028', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'HIV', 'HIV 1 & 2 antibodies', 'Serum', NULL, NULL, 30000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000029', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'HBSAG', 'HBsAg', 'Serum', NULL, NULL, 30000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000030', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'ECG', 'Electrocardiogram (ECG)', NULL, NULL, NULL, 30000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000031', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'CXR', 'X-ray chest PA view', NULL, NULL, NULL, 40000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000032', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'USGABD', 'Ultrasound abdomen and pelvis', NULL, NULL, NULL, 120000, 1);
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000033', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'UPT', 'Urine pregnancy test', 'Urine', NULL, NULL, 10000, 1);
