/**
 * Name, place and household data for the benchmark's synthetic patients: Indian given and family
 * names by community and region, each list ordered from most to least common (the generator gives
 * them a Zipf-like skew, so "Ramesh", "Kumar" and "Khan" are very common and the tail is rare).
 * Spelling variants of one name (Mohammed / Mohd / Muhammad, Lakshmi / Laxmi, Srinivas /
 * Shrinivas / Sreenivas, Sheetal / Shital) are listed separately, as reception types them.
 */

export interface City {
  city: string;
  district: string;
  state: string;
  /** First three digits of the city's pincodes. */
  pin: string;
}

export interface Community {
  key: string;
  /** Share of patients. */
  weight: number;
  male: string[];
  female: string[];
  family: string[];
  /** A family name used instead of `family` by one gender, with its probability ("Sunita Devi", "Harpreet Kaur"). */
  maleFamily?: { names: string[]; p: number };
  femaleFamily?: { names: string[]; p: number };
  /** A second given name ("Ramesh Kumar Sharma", "Mohd Irfan Khan"), before or after the first. */
  maleMiddle?: { names: string[]; p: number; before?: boolean };
  femaleMiddle?: { names: string[]; p: number; before?: boolean };
  /** Share registered with an initial for a family name ("Lakshmi S"), as is common in the south. */
  initials?: number;
  /** Share registered with no family name at all. */
  single?: number;
  cities: City[];
}

const NORTH_CITIES: City[] = [
  { city: 'Lucknow', district: 'Lucknow', state: 'Uttar Pradesh', pin: '226' },
  { city: 'Kanpur', district: 'Kanpur Nagar', state: 'Uttar Pradesh', pin: '208' },
  { city: 'Varanasi', district: 'Varanasi', state: 'Uttar Pradesh', pin: '221' },
  { city: 'Patna', district: 'Patna', state: 'Bihar', pin: '800' },
  { city: 'Gaya', district: 'Gaya', state: 'Bihar', pin: '823' },
  { city: 'Jaipur', district: 'Jaipur', state: 'Rajasthan', pin: '302' },
  { city: 'Jodhpur', district: 'Jodhpur', state: 'Rajasthan', pin: '342' },
  { city: 'Bhopal', district: 'Bhopal', state: 'Madhya Pradesh', pin: '462' },
  { city: 'Indore', district: 'Indore', state: 'Madhya Pradesh', pin: '452' },
  { city: 'New Delhi', district: 'New Delhi', state: 'Delhi', pin: '110' },
  { city: 'Gurugram', district: 'Gurugram', state: 'Haryana', pin: '122' },
  { city: 'Dehradun', district: 'Dehradun', state: 'Uttarakhand', pin: '248' },
];
const PUNJAB_CITIES: City[] = [
  { city: 'Ludhiana', district: 'Ludhiana', state: 'Punjab', pin: '141' },
  { city: 'Amritsar', district: 'Amritsar', state: 'Punjab', pin: '143' },
  { city: 'Jalandhar', district: 'Jalandhar', state: 'Punjab', pin: '144' },
  { city: 'Patiala', district: 'Patiala', state: 'Punjab', pin: '147' },
  { city: 'Chandigarh', district: 'Chandigarh', state: 'Chandigarh', pin: '160' },
  { city: 'New Delhi', district: 'West Delhi', state: 'Delhi', pin: '110' },
];
const WEST_CITIES: City[] = [
  { city: 'Pune', district: 'Pune', state: 'Maharashtra', pin: '411' },
  { city: 'Mumbai', district: 'Mumbai Suburban', state: 'Maharashtra', pin: '400' },
  { city: 'Nagpur', district: 'Nagpur', state: 'Maharashtra', pin: '440' },
  { city: 'Nashik', district: 'Nashik', state: 'Maharashtra', pin: '422' },
  { city: 'Kolhapur', district: 'Kolhapur', state: 'Maharashtra', pin: '416' },
  { city: 'Ahmedabad', district: 'Ahmedabad', state: 'Gujarat', pin: '380' },
  { city: 'Surat', district: 'Surat', state: 'Gujarat', pin: '395' },
  { city: 'Vadodara', district: 'Vadodara', state: 'Gujarat', pin: '390' },
  { city: 'Rajkot', district: 'Rajkot', state: 'Gujarat', pin: '360' },
  { city: 'Panaji', district: 'North Goa', state: 'Goa', pin: '403' },
];
const SOUTH_CITIES: City[] = [
  { city: 'Chennai', district: 'Chennai', state: 'Tamil Nadu', pin: '600' },
  { city: 'Coimbatore', district: 'Coimbatore', state: 'Tamil Nadu', pin: '641' },
  { city: 'Madurai', district: 'Madurai', state: 'Tamil Nadu', pin: '625' },
  { city: 'Bengaluru', district: 'Bengaluru Urban', state: 'Karnataka', pin: '560' },
  { city: 'Mysuru', district: 'Mysuru', state: 'Karnataka', pin: '570' },
  { city: 'Hyderabad', district: 'Hyderabad', state: 'Telangana', pin: '500' },
  { city: 'Warangal', district: 'Warangal', state: 'Telangana', pin: '506' },
  { city: 'Vijayawada', district: 'NTR', state: 'Andhra Pradesh', pin: '520' },
  { city: 'Visakhapatnam', district: 'Visakhapatnam', state: 'Andhra Pradesh', pin: '530' },
  { city: 'Kochi', district: 'Ernakulam', state: 'Kerala', pin: '682' },
  { city: 'Thiruvananthapuram', district: 'Thiruvananthapuram', state: 'Kerala', pin: '695' },
  { city: 'Kozhikode', district: 'Kozhikode', state: 'Kerala', pin: '673' },
];
const EAST_CITIES: City[] = [
  { city: 'Kolkata', district: 'Kolkata', state: 'West Bengal', pin: '700' },
  { city: 'Howrah', district: 'Howrah', state: 'West Bengal', pin: '711' },
  { city: 'Siliguri', district: 'Darjeeling', state: 'West Bengal', pin: '734' },
  { city: 'Durgapur', district: 'Paschim Bardhaman', state: 'West Bengal', pin: '713' },
  { city: 'Bhubaneswar', district: 'Khordha', state: 'Odisha', pin: '751' },
  { city: 'Cuttack', district: 'Cuttack', state: 'Odisha', pin: '753' },
  { city: 'Guwahati', district: 'Kamrup Metropolitan', state: 'Assam', pin: '781' },
  { city: 'Ranchi', district: 'Ranchi', state: 'Jharkhand', pin: '834' },
  { city: 'Jamshedpur', district: 'East Singhbhum', state: 'Jharkhand', pin: '831' },
];

export const COMMUNITIES: Community[] = [
  {
    key: 'north',
    weight: 0.3,
    male: [
      'Ramesh', 'Rajesh', 'Suresh', 'Sanjay', 'Rakesh', 'Manoj', 'Sunil', 'Anil', 'Amit', 'Vijay',
      'Mukesh', 'Dinesh', 'Ashok', 'Pankaj', 'Deepak', 'Rahul', 'Santosh', 'Ajay', 'Pradeep', 'Vinod',
      'Ram', 'Shyam', 'Mohan', 'Rohit', 'Vikas', 'Naresh', 'Umesh', 'Gopal', 'Arvind', 'Sumit',
      'Ankit', 'Gaurav', 'Saurabh', 'Abhishek', 'Vivek', 'Alok', 'Nitin', 'Harish', 'Yogesh', 'Brijesh',
      'Shailendra', 'Jitendra', 'Dharmendra', 'Ravindra', 'Bhupendra', 'Aditya', 'Aryan', 'Krishna', 'Ayush', 'Shivam',
      'Raghuvir', 'Kanhaiya', 'Chandrashekhar', 'Lalit', 'Bhagwati',
    ],
    female: [
      'Sunita', 'Anita', 'Kavita', 'Geeta', 'Pooja', 'Rekha', 'Seema', 'Neha', 'Priya', 'Suman',
      'Savita', 'Meena', 'Usha', 'Asha', 'Manju', 'Nisha', 'Reena', 'Sarita', 'Anjali', 'Priyanka',
      'Kiran', 'Radha', 'Sita', 'Shanti', 'Kamla', 'Pushpa', 'Laxmi', 'Babita', 'Renu', 'Shweta',
      'Aarti', 'Komal', 'Sonia', 'Rinki', 'Poonam', 'Mamta', 'Saroj', 'Urmila', 'Kusum', 'Vandana',
      'Ananya', 'Aaradhya', 'Khushi', 'Shalini', 'Bhagwanti', 'Rampyari',
    ],
    family: [
      'Sharma', 'Singh', 'Yadav', 'Verma', 'Gupta', 'Mishra', 'Pandey', 'Tiwari', 'Prasad', 'Chauhan',
      'Shukla', 'Srivastava', 'Dubey', 'Maurya', 'Saxena', 'Agarwal', 'Jain', 'Kushwaha', 'Chaudhary', 'Tripathi',
      'Rajput', 'Thakur', 'Rawat', 'Joshi', 'Dwivedi', 'Meena', 'Gurjar', 'Bhatt', 'Nishad', 'Paswan',
      'Rathore', 'Tomar', 'Bhadauria', 'Goswami', 'Upadhyay', 'Awasthi', 'Bajpai', 'Kashyap',
    ],
    maleFamily: { names: ['Kumar'], p: 0.3 },
    femaleFamily: { names: ['Devi', 'Kumari'], p: 0.35 },
    maleMiddle: { names: ['Kumar', 'Prasad', 'Lal', 'Chand', 'Nath', 'Pratap'], p: 0.12 },
    single: 0.02,
    cities: NORTH_CITIES,
  },
  {
    key: 'punjab',
    weight: 0.05,
    male: [
      'Gurpreet', 'Harpreet', 'Manpreet', 'Jaspreet', 'Gurmeet', 'Harjeet', 'Jasbir', 'Balwinder', 'Sukhwinder', 'Kulwinder',
      'Paramjit', 'Amarjit', 'Harjinder', 'Gurdeep', 'Jagdeep', 'Lakhwinder', 'Rajinder', 'Surinder', 'Davinder', 'Navdeep',
      'Amandeep', 'Simranjit', 'Hardeep', 'Inderjit', 'Karanveer', 'Arshdeep', 'Tejinder', 'Baldev', 'Jagjit', 'Gurbachan',
    ],
    female: [
      'Harpreet', 'Gurpreet', 'Manpreet', 'Jaspreet', 'Simran', 'Navneet', 'Amandeep', 'Kuldeep', 'Rajwinder', 'Sukhwinder',
      'Paramjit', 'Jasleen', 'Harleen', 'Gurleen', 'Manjit', 'Baljit', 'Kamaljit', 'Ravneet', 'Jasvir', 'Harjit',
      'Satwant', 'Surjit', 'Mohinder', 'Prabhjot', 'Gurnoor',
    ],
    family: [
      'Gill', 'Sandhu', 'Sidhu', 'Dhillon', 'Grewal', 'Brar', 'Arora', 'Bains', 'Randhawa', 'Khanna',
      'Kapoor', 'Malhotra', 'Bajwa', 'Cheema', 'Virk', 'Aulakh', 'Chahal', 'Mann', 'Sekhon', 'Bhatia',
      'Sethi', 'Chopra', 'Ahluwalia', 'Mehra', 'Sodhi', 'Talwar', 'Bedi', 'Kohli', 'Sahni', 'Walia',
    ],
    maleFamily: { names: ['Singh'], p: 0.55 },
    femaleFamily: { names: ['Kaur'], p: 0.55 },
    maleMiddle: { names: ['Singh'], p: 0.45 },
    femaleMiddle: { names: ['Kaur'], p: 0.45 },
    cities: PUNJAB_CITIES,
  },
  {
    key: 'west',
    weight: 0.15,
    male: [
      'Santosh', 'Sachin', 'Ganesh', 'Mahesh', 'Rahul', 'Sandeep', 'Prashant', 'Nilesh', 'Vishal', 'Amol',
      'Sagar', 'Swapnil', 'Tushar', 'Yogesh', 'Rajendra', 'Sunil', 'Prakash', 'Vinod', 'Sanjay', 'Kiran',
      'Dattatray', 'Vitthal', 'Bharat', 'Jignesh', 'Hitesh', 'Ketan', 'Paresh', 'Bhavesh', 'Alpesh', 'Hardik',
      'Chirag', 'Dhaval', 'Mehul', 'Nikhil', 'Pravin', 'Ajit', 'Omkar', 'Aniket', 'Pandurang', 'Dnyaneshwar',
    ],
    female: [
      'Sunita', 'Manisha', 'Vaishali', 'Swati', 'Jyoti', 'Sneha', 'Pooja', 'Priyanka', 'Sangeeta', 'Archana',
      'Madhuri', 'Supriya', 'Ashwini', 'Pallavi', 'Rupali', 'Sheetal', 'Shital', 'Varsha', 'Hetal', 'Komal',
      'Nirmala', 'Bhavna', 'Jagruti', 'Falguni', 'Kinjal', 'Dipika', 'Mansi', 'Rutuja', 'Sayali', 'Mangal',
      'Shobha', 'Sulochana', 'Tejaswini', 'Mrunal',
    ],
    family: [
      'Patil', 'Patel', 'Pawar', 'Jadhav', 'Shinde', 'Shah', 'More', 'Kulkarni', 'Deshmukh', 'Gaikwad',
      'Chavan', 'Desai', 'Joshi', 'Mehta', 'Kadam', 'Bhosale', 'Sawant', 'Deshpande', 'Kale', 'Mane',
      'Salunkhe', 'Wagh', 'Parmar', 'Solanki', 'Rathod', 'Kamble', 'Trivedi', 'Pandya', 'Modi', 'Thakkar',
      'Vaghela', 'Naik', 'Gawde', 'Dalvi', 'Khairnar', 'Bhandari', 'Limaye', 'Gokhale',
    ],
    maleMiddle: { names: ['Kumar', 'Bhai', 'Rao'], p: 0.05 },
    femaleMiddle: { names: ['Ben', 'Bai'], p: 0.06 },
    cities: WEST_CITIES,
  },
  {
    key: 'south',
    weight: 0.2,
    male: [
      'Srinivas', 'Venkatesh', 'Ramesh', 'Suresh', 'Murugan', 'Karthik', 'Senthil', 'Arun', 'Ganesh', 'Prakash',
      'Ravi', 'Balaji', 'Vijay', 'Manikandan', 'Saravanan', 'Rajendran', 'Anand', 'Mahesh', 'Naveen', 'Praveen',
      'Srinivasan', 'Shrinivas', 'Sreenivas', 'Krishnan', 'Subramanian', 'Siva', 'Shiva', 'Nagaraj', 'Raju', 'Satish',
      'Rajesh', 'Biju', 'Shaji', 'Sreejith', 'Venkata', 'Raghavendra', 'Lokesh', 'Harikrishnan', 'Palaniappan', 'Thirumalai',
    ],
    female: [
      'Lakshmi', 'Priya', 'Kavitha', 'Divya', 'Deepa', 'Revathi', 'Anitha', 'Saraswathi', 'Meenakshi', 'Sumathi',
      'Selvi', 'Malathi', 'Vijaya', 'Padma', 'Geetha', 'Radha', 'Shobha', 'Bhavani', 'Jayanthi', 'Latha',
      'Uma', 'Sarala', 'Sneha', 'Keerthana', 'Swathi', 'Ramya', 'Sowmya', 'Nandini', 'Laxmi', 'Kavya',
      'Indira', 'Suma', 'Jyothi', 'Sreelakshmi', 'Thenmozhi', 'Vasantha', 'Anusha', 'Bhargavi',
    ],
    family: [
      'Reddy', 'Rao', 'Nair', 'Naidu', 'Pillai', 'Iyer', 'Gowda', 'Krishnan', 'Menon', 'Shetty',
      'Murthy', 'Subramanian', 'Raman', 'Natarajan', 'Rajan', 'Chandran', 'Kumar', 'Hegde', 'Bhat', 'Iyengar',
      'Varma', 'Kurup', 'Pai', 'Kamath', 'Panicker', 'Chettiar', 'Mudaliar', 'Naicker', 'Goud', 'Shastri',
      'Ramasamy', 'Venkataraman', 'Balakrishnan', 'Thevar', 'Nambiar', 'Achari',
    ],
    maleMiddle: { names: ['Venkata', 'Sai', 'Naga', 'Sri'], p: 0.06, before: true },
    femaleMiddle: { names: ['Sri', 'Naga', 'Sai'], p: 0.04, before: true },
    initials: 0.12,
    single: 0.03,
    cities: SOUTH_CITIES,
  },
  {
    key: 'east',
    weight: 0.12,
    male: [
      'Subhash', 'Sourav', 'Debashis', 'Partha', 'Tapas', 'Biswajit', 'Sudip', 'Arijit', 'Prasenjit', 'Abhijit',
      'Amitava', 'Sanjib', 'Dipankar', 'Sukanta', 'Pradip', 'Gautam', 'Bikash', 'Ranjit', 'Manas', 'Ashis',
      'Rajib', 'Subrata', 'Sarat', 'Bijay', 'Pranab', 'Jayanta', 'Bhaskar', 'Kalyan', 'Soumya', 'Anirban',
      'Bapi', 'Nilanjan', 'Hiranmoy', 'Bhabani',
    ],
    female: [
      'Mousumi', 'Moumita', 'Rina', 'Soma', 'Mita', 'Sharmila', 'Puja', 'Payel', 'Shampa', 'Sampa',
      'Anindita', 'Rupa', 'Tumpa', 'Sudeshna', 'Debjani', 'Priyanka', 'Sutapa', 'Swapna', 'Kakali', 'Mamata',
      'Jharna', 'Namita', 'Sabita', 'Sasmita', 'Pratima', 'Bandana', 'Dipali', 'Anima', 'Malati', 'Chandrima',
      'Rituparna', 'Bornali',
    ],
    family: [
      'Das', 'Roy', 'Ghosh', 'Dey', 'Sarkar', 'Mondal', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Biswas',
      'Saha', 'Paul', 'Bose', 'Sen', 'Chakraborty', 'Bhattacharya', 'Dutta', 'Mandal', 'Majumdar', 'Pal',
      'Mahato', 'Nayak', 'Sahoo', 'Mohanty', 'Behera', 'Panda', 'Basu', 'Patnaik', 'Swain', 'Baruah',
      'Gogoi', 'Bora', 'Kalita', 'Hazarika', 'Munda', 'Oraon',
    ],
    cities: EAST_CITIES,
  },
  {
    key: 'muslim',
    weight: 0.14,
    male: [
      'Mohammed', 'Mohd', 'Abdul', 'Imran', 'Muhammad', 'Mohammad', 'Irfan', 'Salman', 'Md', 'Ahmed',
      'Shahid', 'Rashid', 'Arif', 'Asif', 'Aamir', 'Faisal', 'Javed', 'Naseem', 'Rizwan', 'Sajid',
      'Wasim', 'Iqbal', 'Yusuf', 'Anwar', 'Akbar', 'Sohail', 'Tariq', 'Nadeem', 'Shakeel', 'Jameel',
      'Rafiq', 'Salim', 'Karim', 'Mustafa', 'Ibrahim', 'Ismail', 'Zubair', 'Ayaan', 'Ahmad', 'Mohamed',
      'Zaheer', 'Ehtesham',
    ],
    female: [
      'Fatima', 'Ayesha', 'Shabana', 'Nasreen', 'Parveen', 'Farzana', 'Salma', 'Reshma', 'Rukhsana', 'Shaheen',
      'Aisha', 'Zainab', 'Nazia', 'Sana', 'Heena', 'Rubina', 'Sultana', 'Yasmin', 'Tabassum', 'Noor',
      'Khushboo', 'Afreen', 'Sania', 'Zoya', 'Asma', 'Nafisa', 'Shabnam', 'Razia', 'Sabina', 'Mehrunnisa',
      'Gulnaz', 'Zeenat',
    ],
    family: [
      'Khan', 'Ansari', 'Shaikh', 'Qureshi', 'Siddiqui', 'Ali', 'Ahmed', 'Hussain', 'Syed', 'Pathan',
      'Sheikh', 'Malik', 'Mirza', 'Baig', 'Shah', 'Rizvi', 'Farooqui', 'Mansuri', 'Abbasi', 'Naqvi',
      'Rahman', 'Hasan', 'Beg', 'Memon', 'Kazi', 'Sayyed', 'Usmani', 'Chaudhary', 'Lone', 'Bhat',
    ],
    femaleFamily: { names: ['Begum', 'Bano', 'Khatoon'], p: 0.25 },
    maleMiddle: { names: ['Mohammed', 'Mohd', 'Md', 'Syed', 'Abdul'], p: 0.2, before: true },
    cities: [...NORTH_CITIES.slice(0, 6), ...WEST_CITIES.slice(0, 3), SOUTH_CITIES[5]!, EAST_CITIES[0]!],
  },
  {
    key: 'christian',
    weight: 0.04,
    male: [
      'Joseph', 'Thomas', 'George', 'John', 'Mathew', 'Jose', 'Antony', 'Jacob', 'Francis', 'Paul',
      'Sebastian', 'Varghese', 'Joy', 'Abraham', 'Philip', 'Peter', 'Daniel', 'David', 'Samuel', 'Stephen',
      'Wilson', 'Alex', 'Benny', 'Shibu', 'Xavier', 'Augustine', 'Emmanuel', 'Matthew', 'Anthony', 'Rodney',
    ],
    female: [
      'Mary', 'Elizabeth', 'Annie', 'Susan', 'Jessy', 'Mercy', 'Sheela', 'Alice', 'Maria', 'Grace',
      'Rosamma', 'Leela', 'Beena', 'Bindu', 'Lissy', 'Molly', 'Teresa', 'Jincy', 'Anna', 'Sophia',
      'Christina', 'Agnes', 'Celine', 'Priscilla', 'Angel', 'Jancy',
    ],
    family: [
      'Thomas', 'Joseph', 'George', 'Mathew', 'Varghese', 'Kurian', 'Jacob', 'Fernandes', "D'Souza", 'Chacko',
      'Abraham', 'John', 'Philip', 'Pereira', 'Rodrigues', 'Dsouza', 'Lobo', 'Pinto', 'Dias', 'Gomes',
      'Sequeira', 'Mascarenhas', 'Cardoso', 'Samuel', 'Daniel', 'Lyngdoh', 'Sangma', 'Marak', 'Kharkongor',
    ],
    cities: [SOUTH_CITIES[9]!, SOUTH_CITIES[10]!, WEST_CITIES[9]!, WEST_CITIES[1]!, SOUTH_CITIES[3]!, SOUTH_CITIES[0]!, EAST_CITIES[6]!],
  },
];

export const LOCALITIES = [
  'Gandhi Nagar', 'Nehru Colony', 'Shivaji Nagar', 'Rajiv Nagar', 'Indira Colony', 'Ambedkar Nagar', 'Station Road',
  'Main Bazaar', 'Civil Lines', 'Model Town', 'Sector 7', 'Sector 21', 'MG Road', 'Ram Nagar', 'Krishna Nagar',
  'Azad Nagar', 'Subhash Nagar', 'Vivekanand Colony', 'Old Town', 'New Colony', 'Kamla Nagar', 'Patel Nagar',
  'Anna Nagar', 'T Nagar', 'Jayanagar', 'Salt Lake', 'Kothrud', 'Hadapsar', 'Navrangpura', 'Banjara Hills',
];

export const CHRONIC = ['Type 2 diabetes', 'Hypertension', 'Asthma', 'Hypothyroidism', 'COPD', 'Osteoarthritis', 'Coronary artery disease'];
export const OCCUPATIONS = ['Homemaker', 'Farmer', 'Student', 'Labourer', 'Shopkeeper', 'Driver', 'Teacher', 'Clerk', 'Retired', 'Engineer', 'Nurse', 'Tailor', 'Business'];
